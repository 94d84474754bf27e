import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
    expect(await counts("gus")).toEqual({ unreadCount: 3, unseenCount: 3 });
    const gus = await as("gus");

    // Seeing two of three members leaves the group unseen; the third makes it seen.
    expect((await gus("/v1/notifications/seen", { ids: [a1, a2] })).body).toEqual({
      unreadCount: 3,
      unseenCount: 3,
    });
    expect((await gus("/v1/notifications/seen", { ids: [a3] })).body).toEqual({
      unreadCount: 3,
      unseenCount: 2,
    });
    // A read member leaves the group; the group counts until its last member is read.
    expect((await gus("/v1/notifications/read", { ids: [a1, a2] })).body).toEqual({
      unreadCount: 3,
      unseenCount: 2,
    });
    expect((await gus("/v1/notifications/read", { ids: [a3, single] })).body).toEqual({
      unreadCount: 1,
      unseenCount: 1,
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
    expect(await counts("ivo")).toEqual({ unreadCount: 1, unseenCount: 1 });
    expect(await counts("jan")).toEqual({ unreadCount: 1, unseenCount: 1 });
    expect(await counts("ivo", globex)).toEqual({ unreadCount: 1, unseenCount: 1 });
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
