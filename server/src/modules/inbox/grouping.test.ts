import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN } from "../../../../test/support/server-process.ts";
import { SseClient } from "../../../../test/support/sse-client.ts";
import { type Stack, startStack } from "../../../../test/support/stack.ts";
import { api, createTenant, type TestTenant, userToken } from "../../../../test/support/tenants.ts";

/**
 * Grouping (issue #14): a `group_key` from SQL and the publish API; a user's unread items of
 * one key count as ONE in both counts, in REST answers and in every event of every tab, with
 * resume; one user's or tenant's key never merges with another's; hostile keys are refused.
 */

let stack: Stack;
let acme: TestTenant;
let globex: TestTenant;

beforeAll(async () => {
  stack = await startStack({ NOTIFY_RATE_LIMITS: "off" });
  acme = await createTenant(stack.server.url, "acme");
  globex = await createTenant(stack.server.url, "globex");
});
afterAll(() => stack?.stop());

const insert = async (recipient: string, extra: Record<string, unknown> = {}, tenant = "acme") => {
  const [row] = await stack.sql`INSERT INTO notify.notifications ${stack.sql({
    tenant_id: tenant,
    recipient,
    title: "Hello",
    ...extra,
  })} RETURNING id::text`;
  return row?.id as string;
};

const open = async (user: string, lastEventId?: string, tenant = acme) => {
  const client = await SseClient.connect(stack.server.url, "/v1/stream", {
    token: await userToken(tenant, user),
    lastEventId,
  });
  await client.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
  return client;
};

const as = async (user: string, tenant = acme) => {
  const token = await userToken(tenant, user);
  return (path: string, body?: unknown) => api(stack.server.url, path, token, { body });
};

const counts = async (user: string, tenant = acme) =>
  (await (await as(user, tenant))("/v1/notifications/unread-count")).body;

describe("group counts", () => {
  it("counts a group's unread items as one, unseen while any member is unseen", async () => {
    const a1 = await insert("gus", { group_key: "comment:q3" });
    const a2 = await insert("gus", { group_key: "comment:q3" });
    const a3 = await insert("gus", { group_key: "comment:q3" });
    await insert("gus", { group_key: "comment:q4" });
    const single = await insert("gus");
    expect(await counts("gus")).toEqual({ unreadCount: 3, unseenCount: 3, categoryCounts: [] });
    const gus = await as("gus");

    // Seeing two of three members leaves the group unseen; the third makes it seen.
    expect((await gus("/v1/notifications/seen", { ids: [a1, a2] })).body).toEqual({
      unreadCount: 3,
      unseenCount: 3,
      categoryCounts: [],
    });
    expect((await gus("/v1/notifications/seen", { ids: [a3] })).body).toEqual({
      unreadCount: 3,
      unseenCount: 2,
      categoryCounts: [],
    });
    // A read member leaves the group; the group counts until its last member is read.
    expect((await gus("/v1/notifications/read", { ids: [a1, a2] })).body).toEqual({
      unreadCount: 3,
      unseenCount: 2,
      categoryCounts: [],
    });
    expect((await gus("/v1/notifications/read", { ids: [a3, single] })).body).toEqual({
      unreadCount: 1,
      unseenCount: 1,
      categoryCounts: [],
    });
    // Tenants' SQL counts the same way.
    const [row] = await stack.sql`SELECT notify.unread_count('acme', 'gus') AS unread,
      notify.unseen_count('acme', 'gus') AS unseen`;
    expect(row).toEqual({ unread: 1, unseen: 1 });
  });

  it("sends every member to every tab, with counts by group, and resumes without loss", async () => {
    const tab1 = await open("hana");
    const tab2 = await open("hana");
    const published = await api(stack.server.url, "/v1/notifications", acme.apiKey, {
      body: { recipients: ["hana"], title: "Ana commented", groupKey: "comment:q3/roadmap" },
    });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    await insert("hana", { group_key: "comment:q3/roadmap", title: "Bo commented" });
    for (const tab of [tab1, tab2]) {
      await tab.waitFor((c) => c.ofType("notification").length === 2, 5_000, "both members");
      expect(tab.dataOf("notification")).toMatchObject([
        { groupKey: "comment:q3/roadmap", title: "Ana commented", unreadCount: 1, unseenCount: 1 },
        { groupKey: "comment:q3/roadmap", title: "Bo commented", unreadCount: 1, unseenCount: 1 },
      ]);
    }

    // A tab away while two more members and a single arrive gets each once, counted by group.
    const cursor = tab2.lastEventId;
    tab2.close();
    const missed = [
      await insert("hana", { group_key: "comment:q3/roadmap", title: "Cy commented" }),
      await insert("hana", { group_key: "comment:q3/roadmap", title: "Di commented" }),
      await insert("hana", { title: "Single" }),
    ];
    await tab1.waitFor((c) => c.ofType("notification").length === 5, 5_000, "live");
    const resumed = await open("hana", cursor);
    await resumed.waitFor((c) => c.ofType("notification").length === 3, 5_000, "the replay");
    const replay = resumed.dataOf<{ id: string; unreadCount: number }>("notification");
    expect(replay.map((e) => e.id)).toEqual(missed);
    expect(replay.at(-1)?.unreadCount).toBe(2);
    expect(tab1.dataOf<{ unreadCount: number }>("notification").at(-1)?.unreadCount).toBe(2);
    tab1.close();
    resumed.close();
  });
});

describe("group isolation", () => {
  it("never merges one user's or tenant's key with another's", async () => {
    await insert("ivo", { group_key: "thread:1" });
    await insert("ivo", { group_key: "thread:1" });
    await insert("jan", { group_key: "thread:1" });
    await insert("ivo", { group_key: "thread:1" }, "globex");
    expect(await counts("ivo")).toEqual({ unreadCount: 1, unseenCount: 1, categoryCounts: [] });
    expect(await counts("jan")).toEqual({ unreadCount: 1, unseenCount: 1, categoryCounts: [] });
    expect(await counts("ivo", globex)).toEqual({
      unreadCount: 1,
      unseenCount: 1,
      categoryCounts: [],
    });
  });
});

describe("bad group keys", () => {
  it.each([
    ["an empty key", ""],
    ["a key of 129 characters", "k".repeat(129)],
    ["a line break", "a\nb"],
    ["a space", "a b"],
    ["markup", "<img src=x onerror=alert(1)>"],
    ["a NUL", "a\u0000b"],
    ["a non-ASCII letter", "kommentar:ä"],
  ])("refuses %s: 400 from the API, and the database refuses the same row", async (_, key) => {
    const answer = await api(stack.server.url, "/v1/notifications", acme.apiKey, {
      body: { recipients: ["eve"], title: "Bad", groupKey: key },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("invalid_request");
    // Postgres text cannot hold a NUL at all (22021); the CHECK refuses the rest (23514).
    await expect(insert("eve", { group_key: key })).rejects.toMatchObject({
      code: key.includes("\u0000") ? "22021" : "23514",
    });
  });

  it("accepts a key of 128 characters", async () => {
    const answer = await api(stack.server.url, "/v1/notifications", acme.apiKey, {
      body: { recipients: ["eve"], title: "Long key", groupKey: "k".repeat(128) },
    });
    expect(answer.status).toBe(201);
  });
});

type Item = {
  id: string;
  title: string;
  readAt: string | null;
  group: {
    key: string;
    count: number;
    memberIds: string[];
    actors: { name: string; avatarUrl: string | null }[];
    actorCount: number;
  } | null;
};

describe("GET /v1/notifications?group=true", () => {
  it("returns a group as its newest member, with its count, members and latest actors", async () => {
    const key = "comment:q3";
    const by = (name: string, title = `${name} commented`) =>
      insert("kai", { group_key: key, title, actor_name: name });
    const k1 = await by("Ana");
    const read = await by("Ana", "read one");
    const single = await insert("kai", { title: "Single" });
    const k2 = await by("Bo");
    const k3 = await by("Ana");
    const k4 = await by("Cy");
    const k5 = await insert("kai", {
      group_key: key,
      title: "Di commented",
      actor_name: "Di",
      actor_avatar_url: "/avatars/di.png",
    });
    const kai = await as("kai");
    await kai("/v1/notifications/read", { ids: [read] });

    const list = await kai("/v1/notifications?group=true");
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body).toMatchObject({ nextCursor: null, unreadCount: 2, unseenCount: 2 });
    const items = list.body.items as Item[];
    expect(items.map((i) => i.id)).toEqual([k5, single, read]);
    expect(items[0]).toMatchObject({
      title: "Di commented",
      groupKey: key,
      group: {
        key,
        count: 5,
        memberIds: [k5, k4, k3, k2, k1],
        actors: [
          { name: "Di", avatarUrl: "/avatars/di.png" },
          { name: "Cy", avatarUrl: null },
          { name: "Ana", avatarUrl: null },
        ],
        actorCount: 4,
      },
    });
    // Read items are not grouped; items without a key are plain.
    expect(items[1]?.group).toBeNull();
    expect(items[2]).toMatchObject({ id: read, groupKey: key, group: null });
    // Without group=true, nothing changes: every item, no `group`.
    const plain = await kai("/v1/notifications");
    expect(plain.body.items).toHaveLength(7);
    expect(plain.body.items[0]).not.toHaveProperty("group");
    // A group's members, to expand it.
    const members = await kai(`/v1/notifications?filter=unread&groupKey=${key}`);
    expect(members.body.items.map((i: Item) => i.id)).toEqual([k5, k4, k3, k2, k1]);
  });

  it("pages exactly: every entry once, each group whole on the page of its newest member", async () => {
    const ids: Record<string, string> = {};
    for (const [name, key] of [
      ["a1", "g1"],
      ["b1", null],
      ["a2", "g1"],
      ["c1", "g2"],
      ["b2", null],
      ["a3", "g1"],
      ["c2", "g2"],
      ["b3", null],
    ] as const) {
      ids[name] = await insert("lea", { title: name, group_key: key });
    }
    const lea = await as("lea");
    const expected = [[ids.b3], [ids.c2, ids.c1], [ids.a3, ids.a2, ids.a1], [ids.b2], [ids.b1]];
    for (const limit of [1, 2, 3, 5]) {
      const seen: string[][] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Item[]; nextCursor: string | null } } = await lea(
          `/v1/notifications?group=true&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
        );
        expect(page.body.items.length).toBeLessThanOrEqual(limit);
        for (const item of page.body.items) seen.push(item.group?.memberIds ?? [item.id]);
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      expect(seen, `limit ${limit}`).toEqual(expected);
    }
  });

  it("refuses a bad group flag or key", async () => {
    const mia = await as("mia");
    expect((await mia("/v1/notifications?group=maybe")).status).toBe(400);
    expect((await mia("/v1/notifications?groupKey=a%20b")).status).toBe(400);
    expect((await mia(`/v1/notifications?groupKey=${"k".repeat(129)}`)).status).toBe(400);
  });
});

describe("POST /v1/notifications/groups/read and /groups/archive", () => {
  it("marks every unread member read as one, with an update for each in every tab", async () => {
    const key = "review:42";
    const members = [
      await insert("noa", { group_key: key }),
      await insert("noa", { group_key: key }),
      await insert("noa", { group_key: key }),
    ];
    await insert("noa", { title: "Single" });
    const tab1 = await open("noa");
    const tab2 = await open("noa");
    const noa = await as("noa");

    const read = await noa("/v1/notifications/groups/read", { groupKey: key, upTo: members[2] });
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body).toEqual({ unreadCount: 1, unseenCount: 1, categoryCounts: [] });
    for (const tab of [tab1, tab2]) {
      await tab.waitFor((c) => c.ofType("update").length === 3, 5_000, "an update per member");
      const updates = tab.dataOf<{ id: string; readAt: string | null; unreadCount: number }>(
        "update",
      );
      expect(updates.map((u) => u.id)).toEqual(members);
      expect(updates.every((u) => u.readAt !== null && u.unreadCount === 1)).toBe(true);
    }

    // Again: nothing changes, no event (the next event a tab gets is the marker's).
    expect((await noa("/v1/notifications/groups/read", { groupKey: key })).body).toEqual({
      unreadCount: 1,
      unseenCount: 1,
      categoryCounts: [],
    });
    const marker = await insert("noa", { title: "Marker" });
    await tab1.waitFor((c) => c.ofType("notification").length === 1, 5_000, "the marker");
    expect(tab1.dataOf<{ id: string }>("notification")[0]?.id).toBe(marker);
    expect(tab1.ofType("update")).toHaveLength(3);
    tab1.close();
    tab2.close();
  });

  it("tells the tenant's webhook of every member read, once", async () => {
    const hook = await api(stack.server.url, "/v1/admin/tenants/globex/webhook", ADMIN_TOKEN, {
      method: "PUT",
      body: { url: "http://127.0.0.1:9/hooks", events: ["notification.read"] },
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(200);
    const key = "review:hooked";
    const members = [
      await insert("una", { group_key: key }, "globex"),
      await insert("una", { group_key: key }, "globex"),
    ];
    const una = await as("una", globex);
    await una("/v1/notifications/groups/read", { groupKey: key });
    await una("/v1/notifications/groups/read", { groupKey: key });
    const events = await stack.sql`SELECT data FROM notify.webhook_deliveries
      WHERE tenant_id = 'globex' AND event_type = 'notification.read'`;
    expect(events.map((e) => e.data)).toEqual([{ recipient: "una", notificationIds: members }]);
  });

  it("leaves members in a category the user muted alone, as read-all does", async () => {
    const declared = await api(
      stack.server.url,
      "/v1/admin/tenants/acme/categories/digest",
      ADMIN_TOKEN,
      { method: "PUT", body: { labels: { en: "Digest" }, mutable: true } },
    );
    expect(declared.status, JSON.stringify(declared.body)).toBeLessThan(300);
    const key = "review:muted";
    const shown = await insert("vic", { group_key: key });
    const muted = await insert("vic", { group_key: key, category: "digest" });
    const vic = await as("vic");
    const token = await userToken(acme, "vic");
    const set = await api(stack.server.url, "/v1/preferences", token, {
      method: "PUT",
      body: { preferences: [{ category: "digest", inInbox: false, asToast: true }] },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const list = await vic("/v1/notifications?group=true");
    expect(list.body.items.map((i: Item) => [i.id, i.group?.memberIds])).toEqual([
      [shown, [shown]],
    ]);
    expect((await vic("/v1/notifications/groups/read", { groupKey: key })).body).toMatchObject({
      unreadCount: 0,
    });
    const [row] = await stack.sql`SELECT read_at FROM notify.notifications WHERE id = ${muted}`;
    expect(row?.read_at).toBeNull();
  });

  it("leaves a member newer than upTo unread, and that group still counts", async () => {
    const key = "review:43";
    const first = await insert("oli", { group_key: key });
    const later = await insert("oli", { group_key: key });
    const oli = await as("oli");
    expect(
      (await oli("/v1/notifications/groups/read", { groupKey: key, upTo: first })).body,
    ).toEqual({ unreadCount: 1, unseenCount: 1, categoryCounts: [] });
    const list = await oli("/v1/notifications?group=true");
    expect(list.body.items.map((i: Item) => [i.id, i.group?.count ?? null])).toEqual([
      [later, 1],
      [first, null],
    ]);
  });

  it("archives a group as one", async () => {
    const key = "review:44";
    const members = [
      await insert("pia", { group_key: key }),
      await insert("pia", { group_key: key }),
    ];
    const pia = await as("pia");
    expect((await pia("/v1/notifications/groups/archive", { groupKey: key })).body).toEqual({
      unreadCount: 0,
      unseenCount: 0,
      categoryCounts: [],
    });
    expect((await pia("/v1/notifications?group=true")).body.items).toEqual([]);
    const archived = await pia("/v1/notifications?filter=archived&group=true");
    expect(archived.body.items.map((i: Item) => [i.id, i.group])).toEqual([
      [members[1], null],
      [members[0], null],
    ]);
  });

  it("changes only the caller's own group, not another user's or tenant's of the same key", async () => {
    const key = "thread:shared";
    await insert("quin", { group_key: key });
    await insert("quin", { group_key: key }, "globex");
    await insert("rex", { group_key: key });
    expect(
      (await (await as("rex"))("/v1/notifications/groups/read", { groupKey: key })).body,
    ).toEqual({
      unreadCount: 0,
      unseenCount: 0,
      categoryCounts: [],
    });
    expect(await counts("quin")).toEqual({ unreadCount: 1, unseenCount: 1, categoryCounts: [] });
    expect(await counts("quin", globex)).toEqual({
      unreadCount: 1,
      unseenCount: 1,
      categoryCounts: [],
    });
  });

  it.each([
    ["no key", {}],
    ["a hostile key", { groupKey: "a\nb" }],
    ["a key of 129 characters", { groupKey: "k".repeat(129) }],
    ["a bad upTo", { groupKey: "k", upTo: "x" }],
    ["an unknown field", { groupKey: "k", ids: ["1"] }],
  ])("refuses %s with 400", async (_, body) => {
    const answer = await (await as("sol"))("/v1/notifications/groups/read", body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("invalid_request");
  });
});
