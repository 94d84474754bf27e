import type { Browser, BrowserContext, Page, Request } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  badgeCount,
  inboxItem,
  launchBrowser,
  openDemo,
  openInbox,
  part,
  toast,
} from "./support/browser.ts";
import { type DemoServer, insert, startDemoServer } from "./support/demo-server.ts";
import { received, receivedAt, recordWidgetEvents } from "./support/received.ts";

/** The whole path in a real browser: tenant app → Postgres → server → widget → user. */
let demo: DemoServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});
beforeEach(async () => {
  context = await browser.newContext();
  await recordWidgetEvents(context);
});
afterEach(async () => {
  await context.close();
  // Each test starts with empty inboxes (a delete sends no event; no page is open now).
  await demo.sql`DELETE FROM notify.notifications`;
});

describe("the demo in a browser", () => {
  it("shows a committed INSERT as a toast and on the badge within 1 s, and a rolled-back one never", async () => {
    const page = await context.newPage();
    await openDemo(page, demo.url, "demo-acme", "alice");
    expect(await badgeCount(page)).toBe(0);

    const latencies: number[] = [];
    for (const [index, title] of ["Export ready", "Invoice paid", "New comment"].entries()) {
      // The rolled-back row comes first: if it were delivered, it would arrive before this one.
      await demo.sql
        .begin(async (tx) => {
          await tx`INSERT INTO notify.notifications (tenant_id, recipient, title)
                   VALUES ('demo-acme', 'alice', ${`Rolled back ${index}`})`;
          throw new Error("rollback");
        })
        .catch(() => {});
      await demo.sql.begin(
        (tx) => tx`INSERT INTO notify.notifications (tenant_id, recipient, title, body)
                   VALUES ('demo-acme', 'alice', ${title}, 'from a tenant transaction')`,
      );
      const committedAt = Date.now();
      await toast(page, title).waitFor({ timeout: 5_000 });
      // Timed in the page (the event that renders the toast), not by this test's polling.
      latencies.push(((await receivedAt(page, title)) ?? Number.POSITIVE_INFINITY) - committedAt);
      expect(await badgeCount(page)).toBe(index + 1);
    }
    console.log(`commit → toast and badge: ${latencies.join(", ")} ms`);
    for (const ms of latencies) expect(ms).toBeLessThan(1_000);

    await openInbox(page);
    await expect.poll(() => part(page, "item").count()).toBe(3);
    expect(
      await page.locator('notify-bell [part~="item"]', { hasText: "Rolled back" }).count(),
    ).toBe(0);
    expect(await received(page)).toEqual(["Export ready", "Invoice paid", "New comment"]);
  });

  it("runs the tenant app panel: SQL INSERT, INSERT then ROLLBACK, and the publish API", async () => {
    const page = await context.newPage();
    await openDemo(page, demo.url, "demo-globex", "bob");
    const ran = page.locator("#ran");
    const title = page.getByLabel("Title");

    await title.fill("Rolled back in the panel");
    await page.getByRole("button", { name: "INSERT, then ROLLBACK" }).click();
    await expect.poll(() => ran.textContent()).toContain("ROLLBACK;");
    expect(await ran.textContent()).toContain(
      "INSERT INTO notify.notifications (tenant_id, recipient, title, body, category)",
    );

    await title.fill("Inserted in the panel");
    await page.getByRole("button", { name: "Run SQL INSERT" }).click();
    await toast(page, "Inserted in the panel").waitFor({ timeout: 5_000 });
    expect(await ran.textContent()).toContain("$1 = 'demo-globex', $2 = 'bob'");
    expect(await ran.textContent()).toContain("COMMIT;");

    await title.fill("Published in the panel");
    await page.getByRole("button", { name: "Send with the publish API" }).click();
    await toast(page, "Published in the panel").waitFor({ timeout: 5_000 });
    expect(await ran.textContent()).toContain("→ 201");

    expect(await received(page)).toEqual(["Inserted in the panel", "Published in the panel"]);
    expect(await badgeCount(page)).toBe(2);
  });

  it("sends an invitation with actions from the panel; Accept is recorded, and the other tab shows it done", async () => {
    const tab1 = await context.newPage();
    const tab2 = await context.newPage();
    await openDemo(tab1, demo.url, "demo-acme", "alice");
    await openDemo(tab2, demo.url, "demo-acme", "alice");
    await tab1.getByLabel("Title").fill("Ana invited you to Q3 roadmap");
    await tab1.getByRole("button", { name: "Send an invitation with actions" }).click();
    await expect.poll(() => tab1.locator("#ran").textContent()).toContain("→ 201");
    expect(await tab1.locator("#ran").textContent()).toContain('"actions"');
    await expect.poll(() => badgeCount(tab2)).toBe(1);

    await openInbox(tab2);
    const inTab2 = inboxItem(tab2, "Ana invited you to Q3 roadmap");
    await expect.poll(() => inTab2.locator('[part~="avatar"]').textContent()).toBe("AL");
    await openInbox(tab1);
    await tab1.getByRole("button", { name: "Accept" }).click();
    // Tab 2 did nothing: the stream's update shows the action done there too.
    const accepted = inTab2.getByRole("button", { name: "Done: Accept" });
    await expect.poll(() => accepted.isDisabled(), { timeout: 5_000 }).toBe(true);
    expect(await inTab2.getByRole("button", { name: "Decline" }).isDisabled()).toBe(true);
    const [row] = await demo.sql`SELECT action_taken, read_at IS NOT NULL AS read
      FROM notify.notifications WHERE tenant_id = 'demo-acme' AND recipient = 'alice'`;
    expect(row).toEqual({ action_taken: "accept", read: true });

    // The tenant's backend hears of it: the demo's receiver verified the server's signed POST.
    const webhooks = tab1.locator("#webhooks");
    await expect
      .poll(() => webhooks.textContent(), { timeout: 20_000 })
      .toMatch(
        /notification\.action {2}alice chose "accept" on notification \d+ {2}· signature verified/,
      );
  });

  it("sends a burst of four comments from the panel as one group: the bell counts one", async () => {
    const page = await context.newPage();
    await openDemo(page, demo.url, "demo-acme", "bob");
    await page.getByRole("button", { name: "Send a burst of 4 comments (one group)" }).click();
    await expect.poll(() => page.locator("#ran").textContent()).toMatch(/(→ 201[\s\S]*){4}/);
    const rows = await demo.sql`SELECT group_key FROM notify.notifications
      WHERE tenant_id = 'demo-acme' AND recipient = 'bob'`;
    expect(rows.map((row) => row.group_key)).toEqual(Array(4).fill("comments:q3-roadmap"));
    await expect.poll(() => received(page)).toHaveLength(4);
    expect(await badgeCount(page)).toBe(1);
  });

  it("keeps 'mark as read' after a reload, and a second tab follows it live", async () => {
    const tab1 = await context.newPage();
    const tab2 = await context.newPage();
    await openDemo(tab1, demo.url, "demo-acme", "bob");
    await openDemo(tab2, demo.url, "demo-acme", "bob");
    await insert(demo.sql, "demo-acme", "bob", "Read me");
    await expect.poll(() => badgeCount(tab1)).toBe(1);
    await expect.poll(() => badgeCount(tab2)).toBe(1);
    await openInbox(tab2);
    const dotInTab2 = inboxItem(tab2, "Read me").locator('[part~="unread-dot"]');
    await expect.poll(() => dotInTab2.isVisible()).toBe(true);

    await openInbox(tab1);
    await tab1.getByRole("button", { name: "Mark as read: Read me" }).click();
    await expect.poll(() => badgeCount(tab1)).toBe(0);
    // The other tab hears the `update` event: its badge and its open list change by themselves.
    await expect.poll(() => badgeCount(tab2)).toBe(0);
    await expect.poll(() => dotInTab2.isVisible()).toBe(false);

    await tab1.reload();
    await openDemo(tab1, demo.url, "demo-acme", "bob");
    expect(await badgeCount(tab1)).toBe(0);
    await openInbox(tab1);
    await inboxItem(tab1, "Read me").waitFor();
    expect(await inboxItem(tab1, "Read me").locator('[part~="unread-dot"]').isVisible()).toBe(
      false,
    );
  });

  it("holds one stream for three tabs, and the others carry on when the leader closes", async () => {
    const tabs: Page[] = [];
    const streamsOpened = new Map<Page, number>();
    for (let i = 0; i < 3; i++) {
      const tab = await context.newPage();
      streamsOpened.set(tab, 0);
      tab.on("request", (request: Request) => {
        if (new URL(request.url()).pathname === "/v1/stream") {
          streamsOpened.set(tab, (streamsOpened.get(tab) ?? 0) + 1);
        }
      });
      await openDemo(tab, demo.url, "demo-globex", "alice");
      tabs.push(tab);
    }
    await expect.poll(() => demo.openStreams()).toBe(1);
    const leaders = tabs.filter((tab) => (streamsOpened.get(tab) ?? 0) > 0);
    expect(leaders).toHaveLength(1);
    const leader = leaders[0] as Page;

    await leader.close();
    const others = tabs.filter((tab) => tab !== leader);
    await expect
      .poll(() => others.filter((tab) => (streamsOpened.get(tab) ?? 0) > 0).length)
      .toBe(1);
    await expect.poll(() => demo.openStreams()).toBe(1);

    await insert(demo.sql, "demo-globex", "alice", "After the handover");
    for (const tab of others) {
      await expect.poll(() => received(tab)).toEqual(["After the handover"]);
      expect(await badgeCount(tab)).toBe(1);
    }
  });
});
