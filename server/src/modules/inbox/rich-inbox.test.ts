import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SseClient } from "../../../../test/support/sse-client.ts";
import { type Stack, startStack } from "../../../../test/support/stack.ts";
import { api, createTenant, type TestTenant, userToken } from "../../../../test/support/tenants.ts";

/**
 * Seen, actor and actions (issue #14), end to end: SQL and the publish API in, REST and every
 * open stream out (with resume), each user seeing and changing only their own, and hostile
 * input refused by the API (400) and by the database alike.
 */

let stack: Stack;
let acme: TestTenant;

beforeAll(async () => {
  stack = await startStack({ NOTIFY_RATE_LIMITS: "off" });
  acme = await createTenant(stack.server.url, "acme");
});
afterAll(() => stack?.stop());

const insert = async (recipient: string, extra: Record<string, unknown> = {}) => {
  const [row] = await stack.sql`INSERT INTO notify.notifications ${stack.sql({
    tenant_id: "acme",
    recipient,
    title: "Hello",
    ...extra,
  })} RETURNING id::text`;
  return row?.id as string;
};

const open = async (user: string, lastEventId?: string) => {
  const client = await SseClient.connect(stack.server.url, "/v1/stream", {
    token: await userToken(acme, user),
    lastEventId,
  });
  await client.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
  return client;
};

const as = async (user: string) => {
  const token = await userToken(acme, user);
  // Action clicks are POSTs without a body.
  return (path: string, body?: unknown) =>
    api(stack.server.url, path, token, {
      body,
      method: body !== undefined || path.includes("/actions/") ? "POST" : "GET",
    });
};

const accept = { id: "accept", label: "Accept", style: "primary" };
const decline = { id: "decline", label: "Decline", url: "/invites/7/decline" };

describe("seen", () => {
  it("counts unseen beside unread, in counts, lists and every stream event", async () => {
    const first = await insert("sana");
    const second = await insert("sana");
    const sana = await as("sana");
    expect((await sana("/v1/notifications/unread-count")).body).toEqual({
      unreadCount: 2,
      unseenCount: 2,
      categoryCounts: [],
    });
    const tab1 = await open("sana");
    const tab2 = await open("sana");

    const seen = await sana("/v1/notifications/seen", { ids: [first] });
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual({ unreadCount: 2, unseenCount: 1, categoryCounts: [] });
    for (const tab of [tab1, tab2]) {
      await tab.waitFor((c) => c.ofType("update").length === 1, 5_000, "seen update");
      const [event] = tab.dataOf("update");
      expect(event).toMatchObject({
        id: first,
        readAt: null,
        unreadCount: 2,
        unseenCount: 1,
        categoryCounts: [],
      });
      expect(event?.seenAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }

    // Seeing it again changes nothing, so no event; reading the other sees it too.
    expect((await sana("/v1/notifications/seen", { ids: [first] })).body).toEqual({
      unreadCount: 2,
      unseenCount: 1,
      categoryCounts: [],
    });
    expect((await sana("/v1/notifications/read", { ids: [second] })).body).toEqual({
      unreadCount: 1,
      unseenCount: 0,
      categoryCounts: [],
    });
    await tab1.waitFor((c) => c.ofType("update").length === 2, 5_000, "read update");
    expect(tab1.dataOf("update")[1]).toMatchObject({
      id: second,
      unseenCount: 0,
      categoryCounts: [],
    });
    expect(tab1.dataOf("update")[1]?.seenAt).not.toBeNull();
    expect(tab1.ofType("update")).toHaveLength(2);

    const list = await sana("/v1/notifications");
    expect(list.body).toMatchObject({ unreadCount: 1, unseenCount: 0, categoryCounts: [] });
    expect(list.body.items.map((i: { seenAt: string | null }) => i.seenAt !== null)).toEqual([
      true,
      true,
    ]);
    tab1.close();
    tab2.close();
  });

  it("reaches a stream that resumes after missing it, once", async () => {
    const id = await insert("sami");
    const before = await open("sami");
    const cursor = before.lastEventId;
    before.close();
    await (await as("sami"))("/v1/notifications/seen", { ids: [id] });
    const after = await open("sami", cursor);
    await after.waitFor((c) => c.ofType("update").length === 1, 5_000, "missed seen update");
    expect(after.dataOf("update")[0]).toMatchObject({ id, unseenCount: 0, unreadCount: 1 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(after.events.map((e) => e.type)).toEqual(["update"]);
    after.close();
  });

  it("is the user's own: another user's id is not found, and nothing changes", async () => {
    const mine = await insert("sara");
    const theirs = await insert("sven");
    const sara = await as("sara");
    const answer = await sara("/v1/notifications/seen", { ids: [mine, theirs] });
    expect(answer.status).toBe(404);
    const rows = await stack.sql`SELECT count(*)::int AS n FROM notify.notifications
      WHERE id IN (${mine}, ${theirs}) AND seen_at IS NOT NULL`;
    expect(rows[0]?.n).toBe(0);
    expect((await sara("/v1/notifications/seen", { ids: ["abc"] })).status).toBe(400);
    expect((await sara("/v1/notifications/seen", { ids: [] })).status).toBe(400);
  });
});

describe("actor and actions", () => {
  it("come from SQL and from the publish API, in lists and stream events alike", async () => {
    const tab = await open("ada");
    const fromSql = await insert("ada", {
      actor_name: "Ana Lima",
      actor_avatar_url: "https://cdn.example.com/ana.png",
      actions: stack.sql.json([accept, decline]),
    });
    const published = await api(stack.server.url, "/v1/notifications", acme.apiKey, {
      body: {
        recipients: ["ada"],
        title: "Invite",
        actor: { name: "Bo" },
        actions: [{ id: "join", label: "Join" }],
      },
    });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    await tab.waitFor((c) => c.ofType("notification").length === 2, 5_000, "both");
    const [viaSql, viaApi] = tab.dataOf("notification");
    expect(viaSql).toMatchObject({
      id: fromSql,
      actor: { name: "Ana Lima", avatarUrl: "https://cdn.example.com/ana.png" },
      actions: [accept, decline],
      actionTaken: null,
      actionTakenAt: null,
      snoozedUntil: null,
    });
    expect(viaApi).toMatchObject({
      actor: { name: "Bo", avatarUrl: null },
      actions: [{ id: "join", label: "Join" }],
    });
    const list = await (await as("ada"))("/v1/notifications");
    // One wire shape: the list's item is the event's, less the counts and the toast hint.
    const {
      unreadCount: _unread,
      unseenCount: _unseen,
      categoryCounts: _categories,
      toast: _toast,
      ...item
    } = viaSql ?? {};
    expect(list.body.items[1]).toEqual(item);
    tab.close();
  });

  it.each([
    ["three actions", { actions: [accept, decline, { id: "x", label: "X" }] }],
    ["duplicate ids", { actions: [accept, { ...accept, label: "Again" }] }],
    ["a javascript: url", { actions: [{ id: "x", label: "X", url: "javascript:alert(1)" }] }],
    ["a protocol-relative url", { actions: [{ id: "x", label: "X", url: "//evil.example" }] }],
    ["an unknown style", { actions: [{ id: "x", label: "X", style: "danger" }] }],
    ["an unknown field", { actions: [{ id: "x", label: "X", onclick: "alert(1)" }] }],
    ["an id with spaces", { actions: [{ id: "a b", label: "X" }] }],
    ["an empty label", { actions: [{ id: "x", label: "" }] }],
    ["a label of 81 characters", { actions: [{ id: "x", label: "x".repeat(81) }] }],
    ["a label with a line break", { actions: [{ id: "x", label: "a\nb" }] }],
    ["no actions", { actions: [] }],
    ["an http avatar", { actor: { name: "A", avatarUrl: "http://cdn.example.com/a.png" } }],
    ["a javascript: avatar", { actor: { name: "A", avatarUrl: "javascript:alert(1)" } }],
    ["an actor without a name", { actor: { name: "" } }],
  ])("refuses %s: 400 from the API, and the database refuses the same row", async (_, input) => {
    const answer = await api(stack.server.url, "/v1/notifications", acme.apiKey, {
      body: { recipients: ["eve"], title: "Bad", ...input },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("invalid_request");
    const { actor, actions } = input as {
      actor?: { name: string; avatarUrl?: string };
      actions?: unknown[];
    };
    await expect(
      insert("eve", {
        actor_name: actor ? actor.name : null,
        actor_avatar_url: actor?.avatarUrl ?? null,
        actions: actions ? stack.sql.json(actions as never) : null,
      }),
    ).rejects.toMatchObject({ code: "23514" });
  });

  it("keeps a hostile label as text", async () => {
    const label = '<img src=x onerror="alert(1)">';
    const id = await insert("eve", { actions: stack.sql.json([{ id: "x", label }]) });
    const list = await (await as("eve"))("/v1/notifications");
    expect(list.body.items.find((i: { id: string }) => i.id === id).actions[0].label).toBe(label);
  });
});

describe("POST /v1/notifications/{id}/actions/{actionId}", () => {
  it("records the action once, marks it read, and every tab sees it completed", async () => {
    const id = await insert("ines", { actions: stack.sql.json([accept, decline]) });
    const tab1 = await open("ines");
    const tab2 = await open("ines");
    const ines = await as("ines");

    const taken = await ines(`/v1/notifications/${id}/actions/accept`);
    expect(taken.status).toBe(200);
    expect(taken.body).toEqual({ unreadCount: 0, unseenCount: 0, categoryCounts: [] });
    for (const tab of [tab1, tab2]) {
      await tab.waitFor((c) => c.ofType("update").length === 1, 5_000, "action update");
      const [event] = tab.dataOf("update");
      expect(event).toMatchObject({ id, actionTaken: "accept", unreadCount: 0 });
      expect(event?.actionTakenAt).toBe(event?.readAt);
    }
    const [row] = await stack.sql`SELECT action_taken, action_taken_at IS NOT NULL AS at
      FROM notify.notifications WHERE id = ${id}`;
    expect(row).toEqual({ action_taken: "accept", at: true });

    // Idempotent: the same action again answers the same and changes nothing.
    expect((await ines(`/v1/notifications/${id}/actions/accept`)).status).toBe(200);
    const other = await ines(`/v1/notifications/${id}/actions/decline`);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("conflict");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(tab1.ofType("update")).toHaveLength(1);
    tab1.close();
    tab2.close();
  });

  it("finds only the user's own notifications and their own actions", async () => {
    const id = await insert("ines", { actions: stack.sql.json([accept]) });
    const plain = await insert("ines");
    const mallory = await as("mallory");
    expect((await mallory(`/v1/notifications/${id}/actions/accept`)).status).toBe(404);
    const ines = await as("ines");
    expect((await ines(`/v1/notifications/${id}/actions/unknown`)).status).toBe(404);
    expect((await ines(`/v1/notifications/${plain}/actions/accept`)).status).toBe(404);
    expect((await ines(`/v1/notifications/${id}/actions/a%20b`)).status).toBe(400);
    expect((await ines(`/v1/notifications/x/actions/accept`)).status).toBe(400);
    const [row] = await stack.sql`SELECT action_taken FROM notify.notifications WHERE id = ${id}`;
    expect(row?.action_taken).toBeNull();
  });

  it("reaches only the user's own streams: not another user's, nor the same name in another tenant", async () => {
    const globex = await createTenant(stack.server.url, "globex-iso");
    const id = await insert("iris", { actions: stack.sql.json([accept]) });
    const own = await open("iris");
    const neighbour = await open("ivan");
    const elsewhere = await SseClient.connect(stack.server.url, "/v1/stream", {
      token: await userToken(globex, "iris"),
    });
    await elsewhere.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
    const iris = await as("iris");
    await iris("/v1/notifications/seen", { ids: [id] });
    await iris(`/v1/notifications/${id}/actions/accept`);
    // Both changes may fall in one tick, and arrive as one update at the row's latest state.
    await own.waitFor(
      (c) => c.dataOf("update").some((event) => event.actionTaken === "accept"),
      5_000,
      "the action",
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(neighbour.events).toEqual([]);
    expect(elsewhere.events).toEqual([]);
    for (const client of [own, neighbour, elsewhere]) client.close();
  });

  it("is refused by the database for an action the row does not offer", async () => {
    const id = await insert("ines", { actions: stack.sql.json([accept]) });
    await expect(
      stack.sql`UPDATE notify.notifications SET action_taken = 'nope', action_taken_at = now()
        WHERE id = ${id}`,
    ).rejects.toMatchObject({ code: "23514" });
  });
});
