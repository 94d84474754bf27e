import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { badgeCount, launchBrowser, openDemo, openInbox, part } from "./support/browser.ts";
import { type DemoServer, startDemoServer } from "./support/demo-server.ts";

/**
 * Grouping end to end (docs/design/grouping.md), with the built widget the server serves: a
 * burst of one key's rows, committed by a tenant, is one row and one count in two tabs, and
 * marking it read in one tab reads every member, which the other tab follows live.
 */
let demo: DemoServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
  context = await browser.newContext();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await demo?.stop();
});

describe("a group in two tabs", () => {
  it("is one row and one count, and marking it read in one tab reads it in both", async () => {
    const tab1 = await context.newPage();
    const tab2 = await context.newPage();
    await openDemo(tab1, demo.url, "demo-acme", "alice");
    await openDemo(tab2, demo.url, "demo-acme", "alice");
    for (const name of ["Ana", "Bo", "Cy"]) {
      await demo.sql`INSERT INTO notify.notifications
        (tenant_id, recipient, title, actor_name, group_key)
        VALUES ('demo-acme', 'alice', ${`${name} commented on Q3 roadmap`}, ${name}, 'comments:q3')`;
    }
    await expect.poll(() => badgeCount(tab1)).toBe(1);
    await expect.poll(() => badgeCount(tab2)).toBe(1);

    await openInbox(tab2);
    await openInbox(tab1);
    const group = part(tab1, "group");
    await expect.poll(() => group.count()).toBe(1);
    expect(await group.locator('[part~="item-title"]').first().textContent()).toBe(
      "Cy commented on Q3 roadmap",
    );
    expect(await group.locator('[part~="group-toggle"]').textContent()).toContain("Show all 3");
    await tab1
      .getByRole("button", { name: "Mark as read: 3 notifications: Cy commented on Q3 roadmap" })
      .click();
    await expect.poll(() => badgeCount(tab1)).toBe(0);
    await expect.poll(() => badgeCount(tab2)).toBe(0);
    // The other tab's open list follows each member's `update`: no group is left, all read.
    await expect.poll(() => part(tab2, "group").count()).toBe(0);
    await expect.poll(() => tab2.locator('notify-bell [part~="item"].unread').count()).toBe(0);
    const unread = await demo.sql`SELECT count(*)::int AS n FROM notify.notifications
      WHERE tenant_id = 'demo-acme' AND recipient = 'alice' AND read_at IS NULL`;
    expect(unread[0]?.n).toBe(0);
  });
});
