import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { badgeCount, launchBrowser, openDemo, openInbox, part } from "./support/browser.ts";
import { type DemoServer, startDemoServer } from "./support/demo-server.ts";

/**
 * Category tabs and preferences end to end (docs/design/rich-inbox.md), with the built widget
 * and its inbox module as the server serves them: a tab lists its category with its own
 * count, and a category turned off in one tab's preferences leaves the other tab's count and
 * open list, live.
 */
const unreadCount = (page: Page) =>
  page.evaluate(
    () => (document.querySelector("notify-bell") as { unreadCount?: number }).unreadCount,
  );

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

describe("categories in two tabs", () => {
  it("shows a tab per category with its count, and a category turned off in one tab leaves both", async () => {
    // As a tenant app declares one, in SQL.
    await demo.sql`INSERT INTO notify.categories (tenant_id, key, labels, position)
      VALUES ('demo-acme', 'e2e-reviews', '{"en": "Reviews"}', 1)
      ON CONFLICT (tenant_id, key) DO NOTHING`;
    const tab1 = await context.newPage();
    const tab2 = await context.newPage();
    await openDemo(tab1, demo.url, "demo-acme", "bob");
    await openDemo(tab2, demo.url, "demo-acme", "bob");
    await demo.sql`INSERT INTO notify.notifications (tenant_id, recipient, title, category)
      VALUES ('demo-acme', 'bob', 'Ana reviewed', 'e2e-reviews')`;
    await demo.sql`INSERT INTO notify.notifications (tenant_id, recipient, title)
      VALUES ('demo-acme', 'bob', 'Your export is ready')`;
    await expect.poll(() => badgeCount(tab1)).toBe(2);
    await expect.poll(() => badgeCount(tab2)).toBe(2);

    for (const tab of [tab1, tab2]) {
      await tab.evaluate(() =>
        document.querySelector("notify-bell")?.setAttribute("categories", "*"),
      );
    }
    await openInbox(tab2);
    await openInbox(tab1);
    const comments = part(tab1, "tabs").getByRole("button", { name: "Reviews 1", exact: true });
    await comments.click();
    await expect.poll(() => comments.getAttribute("aria-pressed")).toBe("true");
    await expect.poll(() => part(tab1, "item").count()).toBe(1);
    expect(await part(tab1, "item-title").textContent()).toBe("Ana reviewed");

    await tab1.getByRole("button", { name: "Preferences", exact: true }).click();
    await part(tab1, "preferences")
      .getByRole("group", { name: "Reviews", exact: true })
      .getByRole("checkbox", { name: "In the inbox", exact: true })
      .uncheck();
    // Unread, not the badge: the open panels have seen the rows, so the bell shows none new.
    await expect.poll(() => unreadCount(tab1)).toBe(1);
    await expect.poll(() => unreadCount(tab2)).toBe(1);
    // The other tab's open list follows the stream's preferences event.
    await expect
      .poll(() => part(tab2, "item-title").allTextContents())
      .toEqual(["Your export is ready"]);
    const stored = await demo.sql`SELECT in_inbox FROM notify.preferences
      WHERE tenant_id = 'demo-acme' AND recipient = 'bob' AND category = 'e2e-reviews'`;
    expect(stored[0]?.in_inbox).toBe(false);
  });
});
