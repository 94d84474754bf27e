import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { badgeCount, launchBrowser, openDemo, openInbox, part } from "./support/browser.ts";
import { type DemoServer, insert, startDemoServer } from "./support/demo-server.ts";
import { received, recordWidgetEvents, widgetErrors } from "./support/received.ts";

/** Who sees what: users, tenants, and the origins a tenant allows. */
let demo: DemoServer;
let browser: Browser;

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

/** A page in a browser context of its own: another person on another machine. */
async function person(): Promise<Page> {
  const context = await browser.newContext();
  await recordWidgetEvents(context);
  return context.newPage();
}

async function titlesInInbox(page: Page): Promise<string[]> {
  await openInbox(page);
  await part(page, "list").waitFor();
  return part(page, "list").locator('[part~="item-title"]').allTextContents();
}

describe("isolation", () => {
  it("never shows a user another user's notifications, nor another tenant's", async () => {
    // The same `sub` in another tenant is another person.
    const people = {
      aliceAcme: await person(),
      bobAcme: await person(),
      aliceGlobex: await person(),
    };
    await openDemo(people.aliceAcme, demo.url, "demo-acme", "alice");
    await openDemo(people.bobAcme, demo.url, "demo-acme", "bob");
    await openDemo(people.aliceGlobex, demo.url, "demo-globex", "alice");

    for (let i = 1; i <= 3; i++) {
      await insert(demo.sql, "demo-acme", "bob", `For bob at Acme ${i}`);
      await insert(demo.sql, "demo-globex", "alice", `For alice at Globex ${i}`);
      await insert(demo.sql, "demo-acme", "alice", `For alice at Acme ${i}`);
    }
    const expected = (who: string) => [1, 2, 3].map((i) => `For ${who} ${i}`);
    await expect.poll(() => received(people.aliceAcme)).toEqual(expected("alice at Acme"));
    await expect.poll(() => received(people.bobAcme)).toEqual(expected("bob at Acme"));
    await expect.poll(() => received(people.aliceGlobex)).toEqual(expected("alice at Globex"));

    // Counted before any panel opens: a second in the open inbox sees the rows, and the bell
    // counts new (unseen) ones.
    for (const page of Object.values(people)) expect(await badgeCount(page)).toBe(3);
    // The lists come from the REST API, scoped by the token as the stream is.
    expect((await titlesInInbox(people.aliceAcme)).sort()).toEqual(expected("alice at Acme"));
    expect((await titlesInInbox(people.bobAcme)).sort()).toEqual(expected("bob at Acme"));
    expect((await titlesInInbox(people.aliceGlobex)).sort()).toEqual(expected("alice at Globex"));
    for (const page of Object.values(people)) await page.context().close();
  });
});

describe("a second origin", () => {
  it("works for the tenant that allows it", async () => {
    const page = await person();
    const widgetFrom: string[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/widget.js")) widgetFrom.push(new URL(request.url()).origin);
    });
    await openDemo(page, demo.secondUrl, "demo-acme", "alice");
    // Embedded across origins: the page is on one, the widget and its API on the other.
    expect(new URL(page.url()).origin).toBe(demo.secondUrl);
    expect(widgetFrom).toEqual([demo.url]);

    await insert(demo.sql, "demo-acme", "alice", "Across origins");
    await expect.poll(() => received(page)).toEqual(["Across origins"]);
    expect(await titlesInInbox(page)).toContain("Across origins");
    expect(await widgetErrors(page)).toEqual([]);
    await page.context().close();
  });

  it("shows the widget's error state for a tenant that does not allow it", async () => {
    const page = await person();
    await insert(demo.sql, "demo-globex", "alice", "Never shown here");
    await page.goto(`${demo.secondUrl}/?tenant=demo-globex&user=alice`);
    // The browser refuses the answers (no Access-Control-Allow-Origin): a network error to
    // the widget, which says so instead of showing anything.
    await page.waitForFunction(
      () =>
        (document.querySelector("notify-bell") as { status?: string } | null)?.status === "offline",
      undefined,
      { timeout: 15_000 },
    );
    await openInbox(page);
    await part(page, "empty").filter({ hasText: "could not be loaded" }).waitFor();
    await part(page, "notice").filter({ hasText: "Offline" }).waitFor();
    expect(await widgetErrors(page)).toContain("network");
    expect(await received(page)).toEqual([]);
    expect(await badgeCount(page)).toBe(0);
    await page.context().close();
  });
});
