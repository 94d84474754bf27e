import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServer } from "../../../../test/support/server-process.ts";
import { SseClient } from "../../../../test/support/sse-client.ts";
import { type Stack, startStack } from "../../../../test/support/stack.ts";
import { api, createTenant, type TestTenant, userToken } from "../../../../test/support/tenants.ts";

/**
 * Snooze (issue #14), end to end: a snoozed notification leaves lists and counts in every
 * tab, and at its time comes back unread, unseen and new, as one `notification` to every tab
 * (with two instances running the snooze job), to a client that resumes after it came back,
 * and when the tenant snoozed it with SQL. Other users' and tenants' rows cannot be snoozed;
 * bad times are refused.
 */

let stack: Stack;
let second: ServerProcess;
let acme: TestTenant;
let globex: TestTenant;
const fast = { NOTIFY_RATE_LIMITS: "off", NOTIFY_SNOOZE_POLL_MS: "200" };

beforeAll(async () => {
  stack = await startStack(fast);
  second = await startServer({ DATABASE_URL: stack.databaseUrl, ...fast });
  acme = await createTenant(stack.server.url, "acme");
  globex = await createTenant(stack.server.url, "globex");
});
afterAll(async () => {
  await second?.stop("SIGKILL");
  await stack?.stop();
});

const insert = async (recipient: string, title = "Hello", tenant = "acme") => {
  const [row] = await stack.sql`INSERT INTO notify.notifications ${stack.sql({
    tenant_id: tenant,
    recipient,
    title,
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

const as = async (user: string, tenant: TestTenant = acme) => {
  const token = await userToken(tenant, user);
  return (path: string, init: { method?: string; body?: unknown } = {}) =>
    api(stack.server.url, path, token, init);
};

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const titles = (body: unknown) =>
  (body as { items: { title: string }[] }).items.map((i) => i.title);

describe("snooze", () => {
  it("takes a notification out of lists and counts in every tab, then brings it back as new, once", async () => {
    await insert("sam", "kept");
    const later = await insert("sam", "later");
    const sam = await as("sam");
    const tab1 = await open("sam");
    const tab2 = await open("sam", undefined, second.url);

    const snoozed = await sam(`/v1/notifications/${later}/snooze`, {
      body: { until: inSeconds(2) },
    });
    expect(snoozed.status).toBe(200);
    expect(snoozed.body).toEqual({ unreadCount: 1, unseenCount: 1, categoryCounts: [] });
    for (const tab of [tab1, tab2]) {
      await tab.waitFor((c) => c.ofType("update").length === 1, 5_000, "the snooze update");
      const [event] = tab.dataOf<{ id: string; snoozedUntil: string | null; unreadCount: number }>(
        "update",
      );
      expect(event).toMatchObject({ id: later, unreadCount: 1 });
      expect(event?.snoozedUntil).not.toBeNull();
    }
    expect(titles((await sam("/v1/notifications")).body)).toEqual(["kept"]);
    expect(titles((await sam("/v1/notifications?filter=unread")).body)).toEqual(["kept"]);
    expect(titles((await sam("/v1/notifications?filter=snoozed")).body)).toEqual(["later"]);
    const afterSnooze = tab1.lastEventId;
    tab1.close();

    // Both instances run the snooze job every 200 ms: it comes back once, as a notification.
    await tab2.waitFor((c) => c.ofType("notification").length === 1, 10_000, "its return");
    const [back] = tab2.dataOf<{ id: string; snoozedUntil: string | null; readAt: string | null }>(
      "notification",
    );
    expect(back).toMatchObject({
      id: later,
      snoozedUntil: null,
      readAt: null,
      seenAt: null,
      unreadCount: 2,
      unseenCount: 2,
      categoryCounts: [],
    });
    // The tab that was away resumes and gets the return exactly once.
    const resumed = await open("sam", afterSnooze);
    await resumed.waitFor((c) => c.ofType("notification").length === 1, 5_000, "the replay");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(tab2.ofType("notification")).toHaveLength(1);
    expect(resumed.dataOf("notification").map((e) => e.id)).toEqual([later]);
    expect(resumed.ofType("update")).toEqual([]);
    expect(titles((await sam("/v1/notifications")).body)).toEqual(["later", "kept"]);
    resumed.close();
    tab2.close();
  });

  it("brings one back early, as it was, when the user cancels the snooze", async () => {
    const id = await insert("uma");
    const uma = await as("uma");
    await uma(`/v1/notifications/${id}/snooze`, { body: { until: inSeconds(3600) } });
    const tab = await open("uma");
    const cancelled = await uma(`/v1/notifications/${id}/snooze`, { method: "DELETE" });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toEqual({ unreadCount: 1, unseenCount: 1, categoryCounts: [] });
    await tab.waitFor((c) => c.ofType("update").length === 1, 5_000, "the update");
    expect(tab.dataOf("update")[0]).toMatchObject({ id, snoozedUntil: null });
    expect(tab.ofType("notification")).toEqual([]);
    tab.close();
  });

  it("works for a tenant that snoozes with SQL", async () => {
    const id = await insert("sql-user");
    const tab = await open("sql-user");
    await stack.sql`UPDATE notify.notifications SET snoozed_until = now() + interval '1 second' WHERE id = ${id}`;
    await tab.waitFor((c) => c.ofType("update").length === 1, 5_000, "the snooze update");
    expect(tab.dataOf("update")[0]).toMatchObject({ id, unreadCount: 0 });
    await tab.waitFor((c) => c.ofType("notification").length === 1, 10_000, "its return");
    expect(tab.dataOf("notification")[0]).toMatchObject({ id, unreadCount: 1 });
    tab.close();
  });

  it("cannot reach another user's or another tenant's notification", async () => {
    const mine = await insert("owner");
    const theirs = await insert("owner", "globex's", "globex");
    const intruder = await as("intruder");
    const otherTenant = await as("owner", globex);
    const until = { body: { until: inSeconds(60) } };
    expect((await intruder(`/v1/notifications/${mine}/snooze`, until)).status).toBe(404);
    expect((await otherTenant(`/v1/notifications/${mine}/snooze`, until)).status).toBe(404);
    expect((await intruder(`/v1/notifications/${theirs}/snooze`, until)).status).toBe(404);
    const [row] =
      await stack.sql`SELECT snoozed_until FROM notify.notifications WHERE id = ${mine}`;
    expect(row?.snoozed_until).toBeNull();
  });

  it("refuses a time in the past, too far ahead, not a time, or extra fields, and changes nothing", async () => {
    const id = await insert("careful");
    const careful = await as("careful");
    const bad: unknown[] = [
      { until: inSeconds(-60) },
      { until: inSeconds(91 * 86_400) },
      { until: "tomorrow" },
      { until: 1_900_000_000 },
      { until: inSeconds(60), extra: true },
      {},
    ];
    for (const body of bad) {
      const answer = await careful(`/v1/notifications/${id}/snooze`, { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body, JSON.stringify(body)).toMatchObject({
        error: { code: expect.any(String) },
      });
    }
    expect(
      (await careful(`/v1/notifications/not-an-id/snooze`, { body: { until: inSeconds(60) } }))
        .status,
    ).toBe(400);
    const [row] = await stack.sql`SELECT snoozed_until FROM notify.notifications WHERE id = ${id}`;
    expect(row?.snoozed_until).toBeNull();
  });
});
