import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../../../test/support/database.ts";
import {
  ADMIN_TOKEN,
  type ServerProcess,
  startServer,
} from "../../../../test/support/server-process.ts";
import { SseClient } from "../../../../test/support/sse-client.ts";
import { type Stack, startStack } from "../../../../test/support/stack.ts";
import { api, createTenant, type TestTenant, userToken } from "../../../../test/support/tenants.ts";

/**
 * Preferences (issue #14), end to end: per user and category, stored at the server and
 * enforced there. A category muted in the inbox is neither listed, nor counted, nor sent
 * live; toast-off rides on the events as `toast: false`. Every change reaches every tab of
 * the user, on every instance, as a `preferences` event with the new counts, and resumes
 * like any change: once, never lost, never doubled. Only mutable, declared categories can be
 * turned off; no one sees or changes another user's or tenant's preferences.
 */

let stack: Stack;
let second: ServerProcess;
let acme: TestTenant;
let globex: TestTenant;
const env = { NOTIFY_RATE_LIMITS: "off" };

beforeAll(async () => {
  stack = await startStack(env);
  second = await startServer({ DATABASE_URL: stack.databaseUrl, ...env });
  acme = await createTenant(stack.server.url, "acme");
  globex = await createTenant(stack.server.url, "globex");
  for (const [tenant, key, mutable] of [
    ["acme", "comments", true],
    ["acme", "digest", true],
    ["acme", "security", false],
    ["globex", "comments", true],
  ] as const) {
    await api(stack.server.url, `/v1/admin/tenants/${tenant}/categories/${key}`, ADMIN_TOKEN, {
      method: "PUT",
      body: { labels: { en: key }, mutable },
    });
  }
});
afterAll(async () => {
  await second?.stop("SIGKILL");
  await stack?.stop();
});

const as = async (user: string, tenant: TestTenant = acme) => {
  const token = await userToken(tenant, user);
  return (path: string, init: { method?: string; body?: unknown } = {}) =>
    api(stack.server.url, path, token, init);
};
const set = (
  user: Awaited<ReturnType<typeof as>>,
  preferences: { category: string; inInbox: boolean; asToast: boolean }[],
) => user("/v1/preferences", { method: "PUT", body: { preferences } });
const insert = async (recipient: string, category: string | null, title = "Hi") => {
  const [row] = await stack.sql`INSERT INTO notify.notifications ${stack.sql({
    tenant_id: "acme",
    recipient,
    title,
    category,
  })} RETURNING id::text`;
  return row?.id as string;
};
const open = async (user: string, lastEventId?: string, server = stack.server.url) => {
  const client = await SseClient.connect(server, "/v1/stream", {
    token: await userToken(acme, user),
    lastEventId,
  });
  await client.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
  return client;
};
const on = (category: string) => ({ category, inInbox: true, asToast: true });

describe("preferences", () => {
  it("default to on for every category, and are set all or nothing", async () => {
    const pam = await as("pam");
    expect((await pam("/v1/preferences")).body).toEqual({
      preferences: [on("comments"), on("digest"), on("security")],
    });
    const refused = [
      [{ category: "nope", inInbox: false, asToast: true }],
      [{ category: "security", inInbox: false, asToast: true }],
      [{ category: "security", inInbox: true, asToast: false }],
      [on("comments"), on("comments")],
      [],
      [{ category: "comments", inInbox: "no", asToast: true }],
      [{ category: "comments", inInbox: true, asToast: true, extra: 1 }],
    ];
    for (const preferences of refused) {
      const answer = await pam("/v1/preferences", { method: "PUT", body: { preferences } });
      expect({ preferences, status: answer.status, code: answer.body.error?.code }).toEqual({
        preferences,
        status: 400,
        code: "invalid_request",
      });
    }
    // A refused batch changes nothing, even its valid entries.
    const mixed = await set(pam, [
      { category: "comments", inInbox: false, asToast: false },
      { category: "security", inInbox: false, asToast: true },
    ]);
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.message).toContain("security");
    expect((await pam("/v1/preferences")).body.preferences[0]).toEqual(on("comments"));
    const ok = await set(pam, [{ category: "digest", inInbox: true, asToast: false }]);
    expect(ok.body).toEqual({
      preferences: [
        on("comments"),
        { category: "digest", inInbox: true, asToast: false },
        on("security"),
      ],
      unreadCount: 0,
      unseenCount: 0,
      categoryCounts: [],
    });
  });

  it("mute a category in lists, counts and live events, and bring it back as it was", async () => {
    const mo = await as("mo");
    const plain = await insert("mo", null, "plain");
    const comment = await insert("mo", "comments", "comment");
    const alert = await insert("mo", "security", "alert");
    const tab = await open("mo");

    const muted = await set(mo, [{ category: "comments", inInbox: false, asToast: true }]);
    expect(muted.body).toMatchObject({
      unreadCount: 2,
      unseenCount: 2,
      categoryCounts: [{ category: "security", unreadCount: 1, unseenCount: 1 }],
    });
    const ids = async (query = "") =>
      (await mo(`/v1/notifications${query}`)).body.items.map((i: { id: string }) => i.id);
    expect(await ids()).toEqual([alert, plain]);
    expect(await ids("?category=comments")).toEqual([]);
    expect((await mo("/v1/notifications/unread-count")).body.unreadCount).toBe(2);
    // The tenant's SQL count agrees with the bell.
    const [sqlCount] = await stack.sql`SELECT notify.unread_count('acme', 'mo') AS n`;
    expect(sqlCount?.n).toBe(2);

    // A new comment, and a change to the old one: nothing live; other categories still are.
    await insert("mo", "comments", "quiet");
    await stack.sql`UPDATE notify.notifications SET title = 'edited' WHERE id = ${comment}`;
    const loud = await insert("mo", "security", "loud");
    await tab.waitFor((c) => c.ofType("notification").length === 1, 5_000, "the loud one");
    expect(tab.dataOf("notification")).toEqual([
      expect.objectContaining({ id: loud, title: "loud", toast: true, unreadCount: 3 }),
    ]);
    expect(tab.ofType("update")).toEqual([]);

    // Mark all read leaves the muted category alone.
    await mo("/v1/notifications/read-all", { body: {} });
    const [unreadComments] = await stack.sql`SELECT count(*)::int AS n FROM notify.notifications
      WHERE recipient = 'mo' AND category = 'comments' AND read_at IS NULL`;
    expect(unreadComments?.n).toBe(2);

    const back = await set(mo, [on("comments")]);
    expect(back.body).toMatchObject({
      unreadCount: 2,
      categoryCounts: [{ category: "comments", unreadCount: 2, unseenCount: 2 }],
    });
    expect(await ids("?category=comments")).toHaveLength(2);
    tab.close();
  });

  it("reach every tab on every instance as a preferences event, with the new counts", async () => {
    const lu = await as("lu");
    await insert("lu", "comments");
    await insert("lu", "digest");
    const tabs = [await open("lu"), await open("lu"), await open("lu", undefined, second.url)];
    const other = await open("lu-neighbour");
    await set(lu, [{ category: "digest", inInbox: false, asToast: false }]);
    for (const tab of tabs) {
      await tab.waitFor((c) => c.ofType("preferences").length === 1, 5_000, "preferences");
      expect(tab.dataOf("preferences")).toEqual([
        {
          preferences: [
            on("comments"),
            { category: "digest", inInbox: false, asToast: false },
            on("security"),
          ],
          unreadCount: 1,
          unseenCount: 1,
          categoryCounts: [{ category: "comments", unreadCount: 1, unseenCount: 1 }],
        },
      ]);
    }
    // A write that changes nothing stored sends nothing.
    await set(lu, [{ category: "digest", inInbox: false, asToast: false }]);
    await insert("lu", null, "marker");
    for (const tab of tabs) {
      await tab.waitFor((c) => c.ofType("notification").length === 1, 5_000, "the marker");
      expect(tab.ofType("preferences")).toHaveLength(1);
    }
    expect(other.events).toEqual([]);
    for (const tab of [...tabs, other]) tab.close();
  });

  it("carry toast: false on the events of a category with toasts off", async () => {
    const ty = await as("ty");
    await set(ty, [{ category: "comments", inInbox: true, asToast: false }]);
    const tab = await open("ty");
    const quiet = await insert("ty", "comments", "quiet");
    const loud = await insert("ty", "digest", "loud");
    await tab.waitFor((c) => c.ofType("notification").length === 2, 5_000, "both");
    expect(
      tab
        .dataOf<{ id: string; toast: boolean }>("notification")
        .map(({ id, toast }) => ({ id, toast })),
    ).toEqual([
      { id: quiet, toast: false },
      { id: loud, toast: true },
    ]);
    // Listed and counted as usual.
    expect((await ty("/v1/notifications/unread-count")).body.unreadCount).toBe(2);
    tab.close();
  });

  it("resume like every change: once each, after the notifications of the same range", async () => {
    const ru = await as("ru");
    const tab = await open("ru");
    await insert("ru", "comments", "before");
    await tab.waitFor((c) => c.ofType("notification").length === 1, 5_000, "before");
    const cursor = tab.lastEventId;
    tab.close();

    // While away: a notification, a preference change, another notification.
    const first = await insert("ru", "digest", "away 1");
    await set(ru, [{ category: "comments", inInbox: true, asToast: false }]);
    const last = await insert("ru", "digest", "away 2");

    const back = await open("ru", cursor);
    await back.waitFor(
      (c) => c.ofType("preferences").length === 1 && c.ofType("notification").length === 2,
      5_000,
      "replay",
    );
    const types = back.events.map((e) => e.type);
    expect(types.filter((t) => t === "preferences")).toHaveLength(1);
    expect(back.dataOf<{ id: string }>("notification").map((n) => n.id)).toEqual([first, last]);

    // Resuming from each id it got sends what followed it, and the preference change once.
    const ids = back.events.map((e) => e.lastEventId);
    for (const [i, id] of ids.entries()) {
      const again = await open("ru", id);
      const expected = back.events.slice(i + 1).map((e) => e.type);
      if (expected.length > 0) {
        await again.waitFor((c) => c.events.length === expected.length, 5_000, `after ${id}`);
      } else {
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      expect(again.events.map((e) => e.type)).toEqual(expected);
      again.close();
    }
    back.close();
  });

  it("come after a long replay's last batch, and once, when resumed inside it", async () => {
    const lo = await as("lo");
    const tab = await open("lo");
    const cursor = tab.lastEventId;
    tab.close();
    // More changes than one read returns (200): the preference change must wait for the last.
    await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title, category)
      SELECT 'acme', 'lo', 'n' || i, 'digest' FROM generate_series(1, 250) AS i`;
    await set(lo, [{ category: "digest", inInbox: true, asToast: false }]);

    const back = await open("lo", cursor);
    await back.waitFor((c) => c.ofType("preferences").length === 1, 10_000, "the replay");
    const types = back.events.map((e) => e.type);
    expect(types).toEqual([...Array(250).fill("notification"), "preferences"]);
    // Cut off after the first batch: the rest, then the preference change, once.
    const afterFirstBatch = back.events[199]?.lastEventId;
    expect(afterFirstBatch).toMatch(/^\d+\.\d+\.\d+$/);
    back.close();
    const again = await open("lo", afterFirstBatch);
    await again.waitFor((c) => c.ofType("preferences").length === 1, 10_000, "the rest");
    expect(again.events.map((e) => e.type)).toEqual([
      ...Array(50).fill("notification"),
      "preferences",
    ]);
    again.close();
  });

  it("reach streams when a category stops being mutable, which overrides them", async () => {
    const ov = await as("ov");
    await insert("ov", "digest", "digest");
    await set(ov, [{ category: "digest", inInbox: false, asToast: false }]);
    const tab = await open("ov");
    expect((await ov("/v1/notifications/unread-count")).body.unreadCount).toBe(0);
    await api(stack.server.url, "/v1/admin/tenants/acme/categories/digest", ADMIN_TOKEN, {
      method: "PUT",
      body: { labels: { en: "Digest" }, mutable: false },
    });
    await tab.waitFor((c) => c.ofType("preferences").length === 1, 5_000, "the override");
    expect(tab.dataOf("preferences")[0]).toMatchObject({
      preferences: [on("comments"), on("digest"), on("security")],
      unreadCount: 1,
    });
    // Made mutable again, the stored choice is back.
    await api(stack.server.url, "/v1/admin/tenants/acme/categories/digest", ADMIN_TOKEN, {
      method: "PUT",
      body: { labels: { en: "Digest" }, mutable: true },
    });
    await tab.waitFor((c) => c.ofType("preferences").length === 2, 5_000, "mutable again");
    expect(tab.dataOf("preferences")[1]).toMatchObject({ unreadCount: 0 });
    tab.close();
  });

  it("are erased with the user's notifications", async () => {
    const er = await as("erased");
    await set(er, [{ category: "comments", inInbox: false, asToast: false }]);
    const erased = await api(
      stack.server.url,
      "/v1/admin/tenants/acme/recipients/erased",
      ADMIN_TOKEN,
      {
        method: "DELETE",
      },
    );
    expect(erased.status).toBe(200);
    const left = await stack.sql`SELECT 1 FROM notify.preferences WHERE recipient = 'erased'`;
    expect(left).toEqual([]);
    expect((await er("/v1/preferences")).body.preferences[0]).toEqual(on("comments"));
  });

  it("are each user's own: no other user or tenant reads or changes them", async () => {
    const mine = await as("iso");
    const theirs = await as("iso", globex);
    await set(mine, [{ category: "comments", inInbox: false, asToast: false }]);
    expect((await theirs("/v1/preferences")).body).toEqual({ preferences: [on("comments")] });
    expect((await (await as("iso-2"))("/v1/preferences")).body.preferences[0]).toEqual(
      on("comments"),
    );
    // Another tenant's category is not one of this tenant's.
    expect(
      (await set(theirs, [{ category: "digest", inInbox: false, asToast: true }])).status,
    ).toBe(400);

    const role = await api(
      stack.server.url,
      "/v1/admin/tenants/globex/database-roles",
      ADMIN_TOKEN,
      {
        method: "POST",
      },
    );
    const url = new URL(stack.databaseUrl);
    url.username = role.body.role;
    url.password = role.body.password;
    const globexApp = connect(url.toString(), 1);
    try {
      await set(theirs, [{ category: "comments", inInbox: true, asToast: false }]);
      const rows = await globexApp`SELECT tenant_id, recipient, category, in_inbox, as_toast
        FROM notify.preferences`;
      expect(rows).toEqual([
        {
          tenant_id: "globex",
          recipient: "iso",
          category: "comments",
          in_inbox: true,
          as_toast: false,
        },
      ]);
      // The tenant's own counts in SQL: per category, muted ones left out, as the bell's.
      await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title, category)
        VALUES ('globex', 'iso', 'shown', 'comments')`;
      expect(await globexApp`SELECT * FROM notify.user_counts('globex', 'iso')`).toEqual([
        {
          unread: 1,
          unseen: 1,
          categories: [{ category: "comments", unreadCount: 1, unseenCount: 1 }],
        },
      ]);
      await set(theirs, [{ category: "comments", inInbox: false, asToast: false }]);
      expect(await globexApp`SELECT notify.unread_count('globex', 'iso') AS n`).toEqual([{ n: 0 }]);
      // Another tenant's user is nobody here: row-level security hides their rows.
      await insert("iso", null, "acme's");
      expect(await stack.sql`SELECT unread FROM notify.user_counts('acme', 'iso')`).toEqual([
        { unread: 1 },
      ]);
      expect(await globexApp`SELECT unread FROM notify.user_counts('acme', 'iso')`).toEqual([
        { unread: 0 },
      ]);
      await expect(globexApp`UPDATE notify.preferences SET as_toast = true`).rejects.toThrow(
        /permission denied/,
      );
      await expect(
        globexApp`INSERT INTO notify.preferences (tenant_id, recipient, category)
          VALUES ('globex', 'iso', 'comments')`,
      ).rejects.toThrow(/permission denied/);
    } finally {
      await globexApp.end({ timeout: 1 });
    }
  });
});
