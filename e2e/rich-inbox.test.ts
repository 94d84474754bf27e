import type { Browser, BrowserContext, Page } from "playwright-core";
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
import { type DemoServer, startDemoServer } from "./support/demo-server.ts";
import { received, recordWidgetEvents } from "./support/received.ts";

/**
 * The rich inbox (issue #14) end to end, with the built widget the server serves in the demo
 * page, two tabs of one user in one browser: seen, snooze, category tabs and preferences.
 * The demo tenants declare updates, comments, invitations and security (not mutable).
 */
let demo: DemoServer;
let browser: Browser;
let context: BrowserContext;
/** A generous deadline for what the stream or the snooze job brings; never a timing assertion. */
const LIVE = { timeout: 10_000 };

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
  // Each test starts with empty inboxes and default preferences (no page is open now).
  await demo.sql`DELETE FROM notify.notifications`;
  await demo.sql`DELETE FROM notify.preferences`;
});

/** Two tabs of `user` at `tenant`, each with the element's attributes set as a page would. */
async function twoTabs(tenant: string, user: string, attributes: Record<string, string> = {}) {
  const tabs: Page[] = [];
  for (let i = 0; i < 2; i++) {
    const tab = await context.newPage();
    await openDemo(tab, demo.url, tenant, user);
    await tab.evaluate((set) => {
      const bell = document.querySelector("notify-bell");
      for (const [name, value] of Object.entries(set)) bell?.setAttribute(name, value);
    }, attributes);
    tabs.push(tab);
  }
  return tabs as [Page, Page];
}

async function insertIn(
  tenant: string,
  recipient: string,
  title: string,
  category: string | null = null,
) {
  await demo.sql`INSERT INTO notify.notifications (tenant_id, recipient, title, category)
    VALUES (${tenant}, ${recipient}, ${title}, ${category})`;
}

async function closeInbox(page: Page) {
  await page.bringToFront();
  if (await part(page, "panel").isVisible()) await part(page, "bell").click();
  await part(page, "panel").waitFor({ state: "hidden" });
}

/** The category tabs as read out: label and count, e.g. "Comments 2" ("Comments" at 0). */
async function tabTexts(page: Page): Promise<string[]> {
  const texts = await part(page, "tabs").locator("button").allTextContents();
  return texts.map((text) => text.trim());
}

/** The titles of the rows the open panel lists, top to bottom. */
function listed(page: Page): Promise<string[]> {
  return part(page, "item-title").allTextContents();
}

describe("seen", () => {
  it("sees rows shown for a second: the unseen bell clears in both tabs, the rows stay unread", async () => {
    const [tab1, tab2] = await twoTabs("demo-acme", "alice");
    await insertIn("demo-acme", "alice", "First to see");
    await insertIn("demo-acme", "alice", "Second to see");
    // `badge` defaults to unseen: nothing has been shown yet.
    await expect.poll(() => badgeCount(tab1), LIVE).toBe(2);
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(2);

    await openInbox(tab1);
    await expect.poll(() => listed(tab1), LIVE).toEqual(["Second to see", "First to see"]);
    await expect.poll(() => badgeCount(tab1), LIVE).toBe(0);
    // Tab 2 never showed them: it follows the stream's counts.
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(0);

    // Seen is not read: the rows are still unread, in the panel, the database and the count.
    expect(await tab1.locator('notify-bell [part~="item"].unread').count()).toBe(2);
    const rows = await demo.sql`SELECT seen_at IS NOT NULL AS seen, read_at IS NOT NULL AS read
      FROM notify.notifications WHERE tenant_id = 'demo-acme' AND recipient = 'alice'`;
    expect(rows).toEqual([
      { seen: true, read: false },
      { seen: true, read: false },
    ]);
    await tab2.evaluate(() =>
      document.querySelector("notify-bell")?.setAttribute("badge", "unread"),
    );
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(2);
  });
});

describe("seen below the fold", () => {
  it("sees only the rows scrolled into view: the bell clears once the list has been scrolled to its end", async () => {
    const [tab1, tab2] = await twoTabs("demo-globex", "bob");
    await demo.sql`INSERT INTO notify.notifications (tenant_id, recipient, title)
      SELECT 'demo-globex', 'bob', 'Row ' || lpad(i::text, 2, '0') FROM generate_series(1, 30) i`;
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(30);

    await openInbox(tab1);
    await expect.poll(() => badgeCount(tab1), LIVE).toBeLessThan(30);
    await expect.poll(() => badgeCount(tab2), LIVE).toBeLessThan(30);
    // A moment more, in which rows nobody was shown would wrongly be seen too.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const [{ seen } = { seen: 0 }] = await demo.sql<{ seen: number }[]>`
      SELECT count(*)::int AS seen FROM notify.notifications
      WHERE tenant_id = 'demo-globex' AND recipient = 'bob' AND seen_at IS NOT NULL`;
    // Some of the rows loaded (a page) are below the fold: those are not seen.
    const loaded = await part(tab1, "item").count();
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(loaded);
    expect(await badgeCount(tab2)).toBe(30 - seen);

    // Scrolled to the end by half a view at a time, each long enough for its rows to be
    // seen: every row has been shown, and both bells clear.
    const scroll = tab1.locator("notify-bell .panel .scroll");
    await expect
      .poll(
        async () => {
          await scroll.evaluate((el) => el.scrollBy(0, el.clientHeight / 2));
          return badgeCount(tab1);
        },
        { timeout: 45_000, interval: 1_500 },
      )
      .toBe(0);
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(0);
    expect(await part(tab1, "item").count()).toBe(30);
  });
});

describe("snooze", () => {
  it("takes a row out of both tabs' lists and counts, and brings it back as new at its time", async () => {
    const [tab1, tab2] = await twoTabs("demo-acme", "bob", { badge: "unread" });
    await insertIn("demo-acme", "bob", "Stay");
    await insertIn("demo-acme", "bob", "Snooze me");
    await expect.poll(() => badgeCount(tab1), LIVE).toBe(2);
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(2);
    await openInbox(tab2);
    await expect.poll(() => listed(tab2), LIVE).toEqual(["Snooze me", "Stay"]);

    await openInbox(tab1);
    await tab1.getByRole("button", { name: "Snooze: Snooze me" }).click();
    await tab1
      .getByRole("group", { name: "Snooze: Snooze me" })
      .getByRole("button", { name: "1 hour" })
      .click();
    await expect.poll(() => listed(tab1), LIVE).toEqual(["Stay"]);
    await expect.poll(() => badgeCount(tab1), LIVE).toBe(1);
    // Tab 2 did nothing: its open list and its count follow the stream.
    await expect.poll(() => listed(tab2), LIVE).toEqual(["Stay"]);
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(1);
    const [snoozed] = await demo.sql`SELECT snoozed_until - now() AS left,
        snoozed_until BETWEEN now() + interval '55 minutes' AND now() + interval '65 minutes' AS in_an_hour
      FROM notify.notifications WHERE title = 'Snooze me'`;
    expect(snoozed?.in_an_hour).toBe(true);

    // Its time comes (moved near now, as if the hour had passed).
    await closeInbox(tab2);
    await closeInbox(tab1);
    // The toast of its first arrival runs out first, so the one looked for below is new.
    await expect.poll(() => toast(tab1, "Snooze me").count(), { timeout: 15_000 }).toBe(0);
    await demo.sql`UPDATE notify.notifications SET snoozed_until = now() + interval '1 second'
      WHERE title = 'Snooze me'`;
    // Back as new: a toast, a second `notify-receive` in each tab, counted again, unread and unseen.
    for (const tab of [tab1, tab2]) {
      await expect
        .poll(() => received(tab), { timeout: 20_000 })
        .toEqual(["Stay", "Snooze me", "Snooze me"]);
      await expect.poll(() => badgeCount(tab), LIVE).toBe(2);
    }
    const [back] = await demo.sql`SELECT snoozed_until, read_at, seen_at
      FROM notify.notifications WHERE title = 'Snooze me'`;
    expect(back).toEqual({ snoozed_until: null, read_at: null, seen_at: null });
    await toast(tab1, "Snooze me").waitFor({ timeout: 5_000 });
    await openInbox(tab2);
    await expect.poll(() => listed(tab2), LIVE).toEqual(["Snooze me", "Stay"]);
  });
});

describe("category tabs", () => {
  it("counts each tab, follows new rows live in both tabs, and marks only the visible tab read", async () => {
    const [tab1, tab2] = await twoTabs("demo-globex", "alice", { categories: "*" });
    await insertIn("demo-globex", "alice", "u1", "updates");
    await insertIn("demo-globex", "alice", "c1", "comments");
    await insertIn("demo-globex", "alice", "c2", "comments");
    await insertIn("demo-globex", "alice", "s1", "security");
    await openInbox(tab2);
    await openInbox(tab1);
    const before = ["All 4", "Updates 1", "Comments 2", "Invitations", "Security 1"];
    await expect.poll(() => tabTexts(tab1), LIVE).toEqual(before);
    await expect.poll(() => tabTexts(tab2), LIVE).toEqual(before);

    await part(tab1, "tabs").getByRole("button", { name: "Comments" }).click();
    await expect.poll(() => listed(tab1), LIVE).toEqual(["c2", "c1"]);

    // A new comment: its tab's list in tab 1, and the counts in both tabs.
    await insertIn("demo-globex", "alice", "c3", "comments");
    await expect.poll(() => listed(tab1), LIVE).toEqual(["c3", "c2", "c1"]);
    const arrived = ["All 5", "Updates 1", "Comments 3", "Invitations", "Security 1"];
    await expect.poll(() => tabTexts(tab1), LIVE).toEqual(arrived);
    await expect.poll(() => tabTexts(tab2), LIVE).toEqual(arrived);

    await tab1.getByRole("button", { name: "Mark all as read" }).click();
    const read = ["All 2", "Updates 1", "Comments", "Invitations", "Security 1"];
    await expect.poll(() => tabTexts(tab1), LIVE).toEqual(read);
    await expect.poll(() => tabTexts(tab2), LIVE).toEqual(read);
    const rows = await demo.sql`SELECT title, read_at IS NOT NULL AS read
      FROM notify.notifications WHERE tenant_id = 'demo-globex' AND recipient = 'alice'
      ORDER BY title`;
    expect(rows).toEqual([
      { title: "c1", read: true },
      { title: "c2", read: true },
      { title: "c3", read: true },
      { title: "s1", read: false },
      { title: "u1", read: false },
    ]);
  });
});

describe("preferences", () => {
  it("turns a category off in one tab and the other follows live; pop-ups off still lists and counts; security stays on", async () => {
    const [tab1, tab2] = await twoTabs("demo-globex", "bob", { categories: "*", badge: "unread" });
    await insertIn("demo-globex", "bob", "u1", "updates");
    await insertIn("demo-globex", "bob", "c1", "comments");
    await expect.poll(() => badgeCount(tab1), LIVE).toBe(2);
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(2);
    await openInbox(tab2);
    await expect.poll(() => listed(tab2), LIVE).toEqual(["c1", "u1"]);

    await openInbox(tab1);
    await tab1.getByRole("button", { name: "Preferences" }).click();
    const category = (name: string) =>
      part(tab1, "preferences").getByRole("group", { name, exact: true });
    // Security is not mutable: both switches on and disabled.
    const security = category("Security").getByRole("checkbox");
    await expect.poll(() => security.count(), LIVE).toBe(2);
    for (const box of await security.all()) {
      expect(await box.isChecked()).toBe(true);
      expect(await box.isDisabled()).toBe(true);
    }
    await category("Comments").getByRole("checkbox", { name: "In the inbox" }).click();

    // Tab 2 did nothing: the comment leaves its open list and its count.
    await expect.poll(() => listed(tab2), LIVE).toEqual(["u1"]);
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(1);
    await expect.poll(() => badgeCount(tab1), LIVE).toBe(1);

    // A new comment is neither delivered nor counted; the update after it pops up.
    await closeInbox(tab2);
    await insertIn("demo-globex", "bob", "c2", "comments");
    await insertIn("demo-globex", "bob", "u2", "updates");
    await toast(tab2, "u2").waitFor({ timeout: 5_000 });
    expect(await toast(tab2, "c2").count()).toBe(0);
    expect(await received(tab2)).toEqual(["u1", "c1", "u2"]);
    expect(await badgeCount(tab2)).toBe(2);

    // Updates off as pop-ups: listed and counted, no toast (the invitation after it has one).
    await tab1.bringToFront();
    await category("Updates").getByRole("checkbox", { name: "As pop-ups" }).click();
    await expect
      .poll(
        () => demo.sql`SELECT category, in_inbox, as_toast FROM notify.preferences
          WHERE tenant_id = 'demo-globex' AND recipient = 'bob' ORDER BY category`,
        LIVE,
      )
      .toEqual([
        { category: "comments", in_inbox: false, as_toast: true },
        { category: "updates", in_inbox: true, as_toast: false },
      ]);
    await tab2.bringToFront();
    await insertIn("demo-globex", "bob", "u3", "updates");
    await insertIn("demo-globex", "bob", "i1", "invitations");
    await toast(tab2, "i1").waitFor({ timeout: 5_000 });
    expect(await toast(tab2, "u3").count()).toBe(0);
    expect(await received(tab2)).toEqual(["u1", "c1", "u2", "u3", "i1"]);
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(4);
    await openInbox(tab2);
    await expect.poll(() => listed(tab2), LIVE).toEqual(["i1", "u3", "u2", "u1"]);
    expect(await inboxItem(tab2, "c2").count()).toBe(0);

    // Comments back on in tab 1: tab 2's open list and count have them again, the one that
    // arrived while they were off too.
    await tab1.bringToFront();
    await category("Comments").getByRole("checkbox", { name: "In the inbox" }).click();
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(6);
    await expect.poll(() => listed(tab2), LIVE).toEqual(["i1", "u3", "u2", "c2", "c1", "u1"]);

    // Nor can the page turn security off behind the widget's back: refused, and it still pops up.
    const refused = await tab1.evaluate(async () => {
      const bell = document.querySelector("notify-bell") as HTMLElement & { token: string };
      const response = await fetch("/v1/preferences", {
        method: "PUT",
        headers: { authorization: `Bearer ${bell.token}`, "content-type": "application/json" },
        body: JSON.stringify({
          preferences: [{ category: "security", inInbox: false, asToast: false }],
        }),
      });
      return response.status;
    });
    expect(refused).toBe(400);
    await closeInbox(tab2);
    await insertIn("demo-globex", "bob", "s1", "security");
    await toast(tab2, "s1").waitFor({ timeout: 5_000 });
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(7);
  });
});

describe("snooze with categories and preferences", () => {
  it("takes a snoozed row out of its tab's count and brings it back there; one that wakes muted stays out", async () => {
    const [tab1, tab2] = await twoTabs("demo-acme", "alice", { categories: "*", badge: "unread" });
    await insertIn("demo-acme", "alice", "u1", "updates");
    await insertIn("demo-acme", "alice", "c1", "comments");
    await openInbox(tab2);
    await openInbox(tab1);
    await part(tab1, "tabs").getByRole("button", { name: "Comments" }).click();
    await expect.poll(() => listed(tab1), LIVE).toEqual(["c1"]);

    await tab1.getByRole("button", { name: "Snooze: c1" }).click();
    await tab1
      .getByRole("group", { name: "Snooze: c1" })
      .getByRole("button", { name: "1 hour" })
      .click();
    await expect.poll(() => listed(tab1), LIVE).toEqual([]);
    const asleep = ["All 1", "Updates 1", "Comments", "Invitations", "Security"];
    await expect.poll(() => tabTexts(tab1), LIVE).toEqual(asleep);
    await expect.poll(() => tabTexts(tab2), LIVE).toEqual(asleep);
    await expect.poll(() => listed(tab2), LIVE).toEqual(["u1"]);

    await demo.sql`UPDATE notify.notifications SET snoozed_until = now() + interval '1 second'
      WHERE title = 'c1'`;
    const awake = ["All 2", "Updates 1", "Comments 1", "Invitations", "Security"];
    await expect.poll(() => tabTexts(tab1), { timeout: 20_000 }).toEqual(awake);
    await expect.poll(() => tabTexts(tab2), LIVE).toEqual(awake);
    await expect.poll(() => listed(tab1), LIVE).toEqual(["c1"]);
    await expect.poll(() => listed(tab2), LIVE).toEqual(["c1", "u1"]);

    // Updates snoozed, then turned off in the inbox while asleep: waking, it is not delivered.
    await demo.sql`UPDATE notify.notifications SET snoozed_until = now() + interval '1 hour'
      WHERE title = 'u1'`;
    await expect.poll(() => listed(tab2), LIVE).toEqual(["c1"]);
    await tab1.getByRole("button", { name: "Preferences" }).click();
    await part(tab1, "preferences")
      .getByRole("group", { name: "Updates", exact: true })
      .getByRole("checkbox", { name: "In the inbox" })
      .click();
    await expect
      .poll(
        () => demo.sql`SELECT in_inbox FROM notify.preferences
          WHERE tenant_id = 'demo-acme' AND recipient = 'alice' AND category = 'updates'`,
        LIVE,
      )
      .toEqual([{ in_inbox: false }]);
    await closeInbox(tab2);
    await demo.sql`UPDATE notify.notifications SET snoozed_until = now() WHERE title = 'u1'`;
    await expect
      .poll(() => demo.sql`SELECT snoozed_until FROM notify.notifications WHERE title = 'u1'`, {
        timeout: 20_000,
      })
      .toEqual([{ snoozed_until: null }]);
    await insertIn("demo-acme", "alice", "i1", "invitations");
    await expect.poll(() => received(tab2), LIVE).toEqual(["u1", "c1", "c1", "i1"]);
    expect(await toast(tab2, "u1").count()).toBe(0);
    expect(await badgeCount(tab2)).toBe(2);
  });
});

describe("mark all as read with a category off", () => {
  it("leaves the muted category alone, and the other tab showing that category's tab empties and refills", async () => {
    const [tab1, tab2] = await twoTabs("demo-acme", "bob", { categories: "*", badge: "unread" });
    await insertIn("demo-acme", "bob", "u1", "updates");
    await insertIn("demo-acme", "bob", "c1", "comments");
    await openInbox(tab2);
    await part(tab2, "tabs").getByRole("button", { name: "Comments" }).click();
    await expect.poll(() => listed(tab2), LIVE).toEqual(["c1"]);

    await openInbox(tab1);
    const preferences = tab1.getByRole("button", { name: "Preferences" });
    const commentsInInbox = part(tab1, "preferences")
      .getByRole("group", { name: "Comments", exact: true })
      .getByRole("checkbox", { name: "In the inbox" });
    await preferences.click();
    await commentsInInbox.click();
    await expect.poll(() => listed(tab2), LIVE).toEqual([]);
    const muted = ["All 1", "Updates 1", "Comments", "Invitations", "Security"];
    await expect.poll(() => tabTexts(tab2), LIVE).toEqual(muted);

    await preferences.click();
    await tab1.getByRole("button", { name: "Mark all as read" }).click();
    await expect.poll(() => badgeCount(tab1), LIVE).toBe(0);
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(0);
    const rows = await demo.sql`SELECT title, read_at IS NOT NULL AS read
      FROM notify.notifications WHERE tenant_id = 'demo-acme' AND recipient = 'bob'
      ORDER BY title`;
    expect(rows).toEqual([
      { title: "c1", read: false },
      { title: "u1", read: true },
    ]);

    // Back on: the comment is back, unread, in tab 2's open Comments tab and both counts.
    await preferences.click();
    await commentsInInbox.click();
    await expect.poll(() => badgeCount(tab1), LIVE).toBe(1);
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(1);
    await expect.poll(() => listed(tab2), LIVE).toEqual(["c1"]);
    await expect
      .poll(() => tabTexts(tab2), LIVE)
      .toEqual(["All 1", "Updates", "Comments 1", "Invitations", "Security"]);
    expect(await inboxItem(tab2, "c1").locator('[part~="unread-dot"]').isVisible()).toBe(true);
  });
});

describe("a server crash", () => {
  it("delivers a snooze that ended and a category turned off while it was down to both tabs once", async () => {
    const [tab1, tab2] = await twoTabs("demo-globex", "alice", {
      categories: "*",
      badge: "unread",
    });
    await insertIn("demo-globex", "alice", "Sleeper", "updates");
    await insertIn("demo-globex", "alice", "Chatter", "comments");
    for (const tab of [tab1, tab2]) {
      await expect.poll(() => received(tab), LIVE).toEqual(["Sleeper", "Chatter"]);
    }
    await demo.sql`UPDATE notify.notifications SET snoozed_until = now() + interval '1 hour'
      WHERE title = 'Sleeper'`;
    await expect.poll(() => badgeCount(tab1), LIVE).toBe(1);
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(1);

    await demo.kill();
    // Another instance's snooze pass, and the user's preference from another device.
    await demo.sql`UPDATE notify.notifications SET snoozed_until = now() WHERE title = 'Sleeper'`;
    const [woken] = await demo.sql`SELECT notify.wake_snoozed(500) AS n`;
    expect(woken?.n).toBe(1);
    await demo.sql`INSERT INTO notify.preferences (tenant_id, recipient, category, in_inbox)
      VALUES ('demo-globex', 'alice', 'comments', false)`;
    await demo.start();

    for (const tab of [tab1, tab2]) {
      await expect
        .poll(() => received(tab), { timeout: 30_000 })
        .toEqual(["Sleeper", "Chatter", "Sleeper"]);
      await expect.poll(() => badgeCount(tab), LIVE).toBe(1);
    }
    await openInbox(tab1);
    await expect.poll(() => listed(tab1), LIVE).toEqual(["Sleeper"]);
    await expect
      .poll(() => tabTexts(tab1), LIVE)
      .toEqual(["All 1", "Updates 1", "Comments", "Invitations", "Security"]);
    // A moment more, in which a duplicate would show up.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const tab of [tab1, tab2]) {
      expect(await received(tab)).toEqual(["Sleeper", "Chatter", "Sleeper"]);
    }
  });
});
