import { describe, expect, it } from "vitest";
import { badgeCount, inboxItem, openInbox, part, toast } from "./support/browser.ts";
import { received } from "./support/received.ts";
import {
  closeInbox,
  insertIn,
  LIVE,
  listed,
  richInboxSuite,
  tabTexts,
  twoTabs,
} from "./support/rich-inbox.ts";

/**
 * The rich inbox (issue #14) end to end, with the built widget the server serves in the demo
 * page, two tabs of one user in one browser: seen, snooze, category tabs and preferences.
 * The demo tenants declare updates, comments, invitations and security (not mutable).
 * How they work together, and across a server crash: rich-inbox-together.test.ts.
 */
const suite = richInboxSuite();

describe("seen", () => {
  it("sees rows shown for a second: the unseen bell clears in both tabs, the rows stay unread", async () => {
    const [tab1, tab2] = await twoTabs(suite, "demo-acme", "alice");
    await insertIn(suite, "demo-acme", "alice", "First to see");
    await insertIn(suite, "demo-acme", "alice", "Second to see");
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
    const rows = await suite.demo
      .sql`SELECT seen_at IS NOT NULL AS seen, read_at IS NOT NULL AS read
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
    const [tab1, tab2] = await twoTabs(suite, "demo-globex", "bob");
    await suite.demo.sql`INSERT INTO notify.notifications (tenant_id, recipient, title)
      SELECT 'demo-globex', 'bob', 'Row ' || lpad(i::text, 2, '0') FROM generate_series(1, 30) i`;
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(30);

    await openInbox(tab1);
    await expect.poll(() => badgeCount(tab1), LIVE).toBeLessThan(30);
    await expect.poll(() => badgeCount(tab2), LIVE).toBeLessThan(30);
    // A moment more, in which rows nobody was shown would wrongly be seen too.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const [{ seen } = { seen: 0 }] = await suite.demo.sql<{ seen: number }[]>`
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
    const [tab1, tab2] = await twoTabs(suite, "demo-acme", "bob", { badge: "unread" });
    await insertIn(suite, "demo-acme", "bob", "Stay");
    await insertIn(suite, "demo-acme", "bob", "Snooze me");
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
    const [snoozed] = await suite.demo.sql`SELECT snoozed_until - now() AS left,
        snoozed_until BETWEEN now() + interval '55 minutes' AND now() + interval '65 minutes' AS in_an_hour
      FROM notify.notifications WHERE title = 'Snooze me'`;
    expect(snoozed?.in_an_hour).toBe(true);

    // Its time comes (moved near now, as if the hour had passed).
    await closeInbox(tab2);
    await closeInbox(tab1);
    // The toast of its first arrival runs out first, so the one looked for below is new.
    await expect.poll(() => toast(tab1, "Snooze me").count(), { timeout: 15_000 }).toBe(0);
    await suite.demo.sql`UPDATE notify.notifications SET snoozed_until = now() + interval '1 second'
      WHERE title = 'Snooze me'`;
    // Back as new: a toast, a second `notify-receive` in each tab, counted again, unread and unseen.
    for (const tab of [tab1, tab2]) {
      await expect
        .poll(() => received(tab), { timeout: 20_000 })
        .toEqual(["Stay", "Snooze me", "Snooze me"]);
      await expect.poll(() => badgeCount(tab), LIVE).toBe(2);
    }
    const [back] = await suite.demo.sql`SELECT snoozed_until, read_at, seen_at
      FROM notify.notifications WHERE title = 'Snooze me'`;
    expect(back).toEqual({ snoozed_until: null, read_at: null, seen_at: null });
    await toast(tab1, "Snooze me").waitFor({ timeout: 5_000 });
    await openInbox(tab2);
    await expect.poll(() => listed(tab2), LIVE).toEqual(["Snooze me", "Stay"]);
  });
});

describe("category tabs", () => {
  it("counts each tab, follows new rows live in both tabs, and marks only the visible tab read", async () => {
    const [tab1, tab2] = await twoTabs(suite, "demo-globex", "alice", { categories: "*" });
    await insertIn(suite, "demo-globex", "alice", "u1", "updates");
    await insertIn(suite, "demo-globex", "alice", "c1", "comments");
    await insertIn(suite, "demo-globex", "alice", "c2", "comments");
    await insertIn(suite, "demo-globex", "alice", "s1", "security");
    await openInbox(tab2);
    await openInbox(tab1);
    const before = ["All 4", "Updates 1", "Comments 2", "Invitations", "Security 1"];
    await expect.poll(() => tabTexts(tab1), LIVE).toEqual(before);
    await expect.poll(() => tabTexts(tab2), LIVE).toEqual(before);

    await part(tab1, "tabs").getByRole("button", { name: "Comments" }).click();
    await expect.poll(() => listed(tab1), LIVE).toEqual(["c2", "c1"]);

    // A new comment: its tab's list in tab 1, and the counts in both tabs.
    await insertIn(suite, "demo-globex", "alice", "c3", "comments");
    await expect.poll(() => listed(tab1), LIVE).toEqual(["c3", "c2", "c1"]);
    const arrived = ["All 5", "Updates 1", "Comments 3", "Invitations", "Security 1"];
    await expect.poll(() => tabTexts(tab1), LIVE).toEqual(arrived);
    await expect.poll(() => tabTexts(tab2), LIVE).toEqual(arrived);

    await tab1.getByRole("button", { name: "Mark all as read" }).click();
    const read = ["All 2", "Updates 1", "Comments", "Invitations", "Security 1"];
    await expect.poll(() => tabTexts(tab1), LIVE).toEqual(read);
    await expect.poll(() => tabTexts(tab2), LIVE).toEqual(read);
    const rows = await suite.demo.sql`SELECT title, read_at IS NOT NULL AS read
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
    const [tab1, tab2] = await twoTabs(suite, "demo-globex", "bob", {
      categories: "*",
      badge: "unread",
    });
    await insertIn(suite, "demo-globex", "bob", "u1", "updates");
    await insertIn(suite, "demo-globex", "bob", "c1", "comments");
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
    await insertIn(suite, "demo-globex", "bob", "c2", "comments");
    await insertIn(suite, "demo-globex", "bob", "u2", "updates");
    await toast(tab2, "u2").waitFor({ timeout: 5_000 });
    expect(await toast(tab2, "c2").count()).toBe(0);
    expect(await received(tab2)).toEqual(["u1", "c1", "u2"]);
    expect(await badgeCount(tab2)).toBe(2);

    // Updates off as pop-ups: listed and counted, no toast (the invitation after it has one).
    await tab1.bringToFront();
    await category("Updates").getByRole("checkbox", { name: "As pop-ups" }).click();
    await expect
      .poll(
        () => suite.demo.sql`SELECT category, in_inbox, as_toast FROM notify.preferences
          WHERE tenant_id = 'demo-globex' AND recipient = 'bob' ORDER BY category`,
        LIVE,
      )
      .toEqual([
        { category: "comments", in_inbox: false, as_toast: true },
        { category: "updates", in_inbox: true, as_toast: false },
      ]);
    await tab2.bringToFront();
    await insertIn(suite, "demo-globex", "bob", "u3", "updates");
    await insertIn(suite, "demo-globex", "bob", "i1", "invitations");
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
    await insertIn(suite, "demo-globex", "bob", "s1", "security");
    await toast(tab2, "s1").waitFor({ timeout: 5_000 });
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(7);
  });
});
