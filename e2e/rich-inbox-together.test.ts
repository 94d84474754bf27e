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
 * The rich inbox's capabilities together (rich-inbox.test.ts has each alone), in two tabs of
 * the demo page: snooze with category tabs and preferences, "mark all as read" with a
 * category off, a snoozed row with pop-ups off, and changes made while the server was down
 * reaching both tabs once.
 */
const suite = richInboxSuite();

describe("snooze with categories and preferences", () => {
  it("takes a snoozed row out of its tab's count and brings it back there; one that wakes muted stays out", async () => {
    const [tab1, tab2] = await twoTabs(suite, "demo-acme", "alice", {
      categories: "*",
      badge: "unread",
    });
    await insertIn(suite, "demo-acme", "alice", "u1", "updates");
    await insertIn(suite, "demo-acme", "alice", "c1", "comments");
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

    await suite.demo.sql`UPDATE notify.notifications SET snoozed_until = now() + interval '1 second'
      WHERE title = 'c1'`;
    const awake = ["All 2", "Updates 1", "Comments 1", "Invitations", "Security"];
    await expect.poll(() => tabTexts(tab1), { timeout: 20_000 }).toEqual(awake);
    await expect.poll(() => tabTexts(tab2), LIVE).toEqual(awake);
    await expect.poll(() => listed(tab1), LIVE).toEqual(["c1"]);
    await expect.poll(() => listed(tab2), LIVE).toEqual(["c1", "u1"]);

    // Updates snoozed, then turned off in the inbox while asleep: waking, it is not delivered.
    await suite.demo.sql`UPDATE notify.notifications SET snoozed_until = now() + interval '1 hour'
      WHERE title = 'u1'`;
    await expect.poll(() => listed(tab2), LIVE).toEqual(["c1"]);
    await tab1.getByRole("button", { name: "Preferences" }).click();
    await part(tab1, "preferences")
      .getByRole("group", { name: "Updates", exact: true })
      .getByRole("checkbox", { name: "In the inbox" })
      .click();
    await expect
      .poll(
        () => suite.demo.sql`SELECT in_inbox FROM notify.preferences
          WHERE tenant_id = 'demo-acme' AND recipient = 'alice' AND category = 'updates'`,
        LIVE,
      )
      .toEqual([{ in_inbox: false }]);
    await closeInbox(tab2);
    await suite.demo.sql`UPDATE notify.notifications SET snoozed_until = now() WHERE title = 'u1'`;
    await expect
      .poll(
        () => suite.demo.sql`SELECT snoozed_until FROM notify.notifications WHERE title = 'u1'`,
        {
          timeout: 20_000,
        },
      )
      .toEqual([{ snoozed_until: null }]);
    await insertIn(suite, "demo-acme", "alice", "i1", "invitations");
    await expect.poll(() => received(tab2), LIVE).toEqual(["u1", "c1", "c1", "i1"]);
    expect(await toast(tab2, "u1").count()).toBe(0);
    expect(await badgeCount(tab2)).toBe(2);
  });
});

describe("snooze with pop-ups off", () => {
  it("brings a snoozed row of a category with pop-ups off back listed and counted, without a toast", async () => {
    const [tab1, tab2] = await twoTabs(suite, "demo-globex", "bob", { badge: "unread" });
    const token = await tab1.evaluate(
      () => (document.querySelector("notify-bell") as HTMLElement & { token: string }).token,
    );
    const set = await fetch(`${suite.demo.url}/v1/preferences`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        preferences: [{ category: "comments", inInbox: true, asToast: false }],
      }),
    });
    expect(set.status).toBe(200);
    await insertIn(suite, "demo-globex", "bob", "Quiet comment", "comments");
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(1);
    await suite.demo.sql`UPDATE notify.notifications
      SET snoozed_until = now() + interval '1 hour' WHERE title = 'Quiet comment'`;
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(0);

    await tab2.bringToFront();
    await suite.demo.sql`UPDATE notify.notifications SET snoozed_until = now()
      WHERE title = 'Quiet comment'`;
    await expect.poll(() => badgeCount(tab2), { timeout: 20_000 }).toBe(1);
    // A row after it that does pop up: had the comment toasted, it would have done so first.
    await insertIn(suite, "demo-globex", "bob", "Loud update", "updates");
    await toast(tab2, "Loud update").waitFor({ timeout: 5_000 });
    expect(await toast(tab2, "Quiet comment").count()).toBe(0);
    expect(await received(tab2)).toEqual(["Quiet comment", "Quiet comment", "Loud update"]);
    await openInbox(tab1);
    await expect.poll(() => listed(tab1), LIVE).toEqual(["Loud update", "Quiet comment"]);
  });
});

describe("mark all as read with a category off", () => {
  it("leaves the muted category alone, and the other tab showing that category's tab empties and refills", async () => {
    const [tab1, tab2] = await twoTabs(suite, "demo-acme", "bob", {
      categories: "*",
      badge: "unread",
    });
    await insertIn(suite, "demo-acme", "bob", "u1", "updates");
    await insertIn(suite, "demo-acme", "bob", "c1", "comments");
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
    const rows = await suite.demo.sql`SELECT title, read_at IS NOT NULL AS read
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
    const [tab1, tab2] = await twoTabs(suite, "demo-globex", "alice", {
      categories: "*",
      badge: "unread",
    });
    await insertIn(suite, "demo-globex", "alice", "Sleeper", "updates");
    await insertIn(suite, "demo-globex", "alice", "Chatter", "comments");
    for (const tab of [tab1, tab2]) {
      await expect.poll(() => received(tab), LIVE).toEqual(["Sleeper", "Chatter"]);
    }
    await suite.demo.sql`UPDATE notify.notifications SET snoozed_until = now() + interval '1 hour'
      WHERE title = 'Sleeper'`;
    await expect.poll(() => badgeCount(tab1), LIVE).toBe(1);
    await expect.poll(() => badgeCount(tab2), LIVE).toBe(1);

    await suite.demo.kill();
    // Another instance's snooze pass, and the user's preference from another device.
    await suite.demo
      .sql`UPDATE notify.notifications SET snoozed_until = now() WHERE title = 'Sleeper'`;
    const [woken] = await suite.demo.sql`SELECT notify.wake_snoozed(500) AS n`;
    expect(woken?.n).toBe(1);
    await suite.demo.sql`INSERT INTO notify.preferences (tenant_id, recipient, category, in_inbox)
      VALUES ('demo-globex', 'alice', 'comments', false)`;
    await suite.demo.start();

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
