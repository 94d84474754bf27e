import { createParser, type EventSourceMessage } from "eventsource-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SseClient } from "../../../../test/support/sse-client.ts";
import { type Stack, startStack } from "../../../../test/support/stack.ts";
import { api, createTenant, type TestTenant, userToken } from "../../../../test/support/tenants.ts";

let stack: Stack;
let acme: TestTenant;
let globex: TestTenant;

beforeAll(async () => {
  stack = await startStack({ NOTIFY_HEARTBEAT_MS: "300", NOTIFY_RETRY_MS: "1500" });
  acme = await createTenant(stack.server.url, "acme");
  globex = await createTenant(stack.server.url, "globex");
});
afterAll(() => stack?.stop());

const open = async (
  tenant: TestTenant,
  user: string,
  options: Parameters<typeof SseClient.connect>[2] = {},
) =>
  SseClient.connect(stack.server.url, "/v1/stream", {
    token: await userToken(tenant, user),
    ...options,
  });

const insert = (
  tenant: string,
  recipient: string,
  title: string,
  extra: Record<string, unknown> = {},
) =>
  stack.sql`INSERT INTO notify.notifications ${stack.sql({ tenant_id: tenant, recipient, title, ...extra })} RETURNING id::text`;

describe("GET /v1/stream", () => {
  it("answers 200 with SSE headers, a retry line and the current cursor before any event", async () => {
    await insert("acme", "opening", "already there");
    const client = await open(acme, "opening");
    expect(client.response.status).toBe(200);
    expect(client.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(client.response.headers.get("cache-control")).toBe("no-store");
    expect(client.response.headers.get("x-accel-buffering")).toBe("no");
    await client.waitFor(
      (c) => c.retry !== undefined && c.lastEventId !== "",
      5_000,
      "retry and id",
    );
    expect(client.retry).toBe(1500);
    // The cursor names the newest tick (a snapshot the server recorded).
    expect(client.lastEventId).toMatch(/^[1-9]\d*$/);
    // The opening id carries no data, so nothing was dispatched: the row that was already
    // there belongs to the inbox list, not the live stream.
    expect(client.events).toEqual([]);
    client.close();
  });

  it("delivers a row inserted with SQL to its recipient only, live", async () => {
    const alice = await open(acme, "alice");
    const bob = await open(acme, "bob");
    const otherTenantAlice = await open(globex, "alice");
    await alice.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");

    await stack.sql`INSERT INTO notify.categories (tenant_id, key, labels)
      VALUES ('acme', 'reports', '{"en": "Reports"}')`;
    const [row] = await insert("acme", "alice", "Hello Alice", {
      body: "Your report is ready",
      url: "https://example.com/r/1",
      category: "reports",
      data: stack.sql.json({ reportId: 1 }),
    });
    await alice.waitFor(
      (c) => c.ofType("notification").length === 1,
      5_000,
      "alice's notification",
    );
    const [event] = alice.ofType("notification");
    expect(JSON.parse(event?.data ?? "")).toMatchObject({
      id: row?.id,
      title: "Hello Alice",
      body: "Your report is ready",
      url: "https://example.com/r/1",
      category: "reports",
      data: { reportId: 1 },
      readAt: null,
      archivedAt: null,
      toast: true,
      unreadCount: 1,
      categoryCounts: [{ category: "reports", unreadCount: 1, unseenCount: 1 }],
    });
    expect(event?.lastEventId).toMatch(/^\d+$/);

    // Others were connected the whole time and got nothing.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(bob.events).toEqual([]);
    expect(otherTenantAlice.events).toEqual([]);
    for (const client of [alice, bob, otherTenantAlice]) client.close();
  });

  it("sends nothing for a rolled-back insert", async () => {
    const client = await open(acme, "rollback");
    await client.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
    await stack.sql
      .begin(async (tx) => {
        await tx`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('acme', 'rollback', 'never')`;
        throw new Error("roll back");
      })
      .catch(() => {});
    await insert("acme", "rollback", "committed");
    await client.waitFor((c) => c.events.length === 1, 5_000, "the committed row");
    expect(client.dataOf("notification").map((n) => n.title)).toEqual(["committed"]);
    client.close();
  });

  it("replays everything after Last-Event-ID, in order, exactly once, then continues live", async () => {
    const first = await open(acme, "carol");
    await first.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
    await insert("acme", "carol", "one");
    await first.waitFor((c) => c.events.length === 1, 5_000, "first event");
    const resumeFrom = first.lastEventId;
    first.close();

    for (const title of ["two", "three", "four"]) await insert("acme", "carol", title);

    const resumed = await open(acme, "carol", { lastEventId: resumeFrom });
    await resumed.waitFor((c) => c.events.length === 3, 5_000, "replay");
    await insert("acme", "carol", "five");
    await resumed.waitFor((c) => c.events.length === 4, 5_000, "live after replay");
    expect(resumed.dataOf("notification").map((n) => n.title)).toEqual([
      "two",
      "three",
      "four",
      "five",
    ]);
    const ids = resumed.events.map((e) => Number(e.lastEventId));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    resumed.close();

    // The same through the query parameter, for clients that cannot set headers.
    const viaQuery = await SseClient.connect(
      stack.server.url,
      `/v1/stream?lastEventId=${resumeFrom}`,
      { token: await userToken(acme, "carol"), tokenInQuery: true },
    );
    await viaQuery.waitFor((c) => c.events.length === 4, 5_000, "replay via query");
    expect(viaQuery.dataOf("notification").map((n) => n.title)).toEqual([
      "two",
      "three",
      "four",
      "five",
    ]);
    viaQuery.close();
  });

  it("delivers a row whose transaction commits after a later one, without making either wait", async () => {
    const client = await open(acme, "dave");
    // A second tab stays connected throughout: it gets A live, once A commits.
    const watcher = await open(acme, "dave");
    for (const c of [client, watcher]) await c.waitFor((x) => x.lastEventId !== "", 5_000, "id");

    // A inserts for dave and stays open; B inserts for dave and commits, not waiting for A.
    const a = await stack.sql.reserve();
    await a`BEGIN`;
    await a`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('acme', 'dave', 'A')`;
    await insert("acme", "dave", "B");
    await client.waitFor((c) => c.events.length === 1, 5_000, "B");
    expect(client.dataOf("notification").map((n) => n.title)).toEqual(["B"]);

    // The client has B's id and goes away; A commits; the client resumes and gets A.
    const lastId = client.lastEventId;
    client.close();
    await a`COMMIT`;
    a.release();
    const again = await open(acme, "dave", { lastEventId: lastId });
    await again.waitFor((c) => c.events.length === 1, 5_000, "A on resume");
    expect(again.dataOf("notification").map((n) => n.title)).toEqual(["A"]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(again.events.length).toBe(1);
    again.close();
    await watcher.waitFor((c) => c.events.length === 2, 5_000, "B, then A, live");
    expect(watcher.dataOf("notification").map((n) => n.title)).toEqual(["B", "A"]);
    watcher.close();
  });

  it("delivers a late-committing row after a reconnect with the id of an earlier-committed one", async () => {
    const client = await open(acme, "erin");
    await client.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");

    // A (for erin) stays open; B (for erin) is in flight behind A's lock; C commits first
    // for another recipient. Erin must end with both A and B, whatever the interleaving.
    const a = await stack.sql.reserve();
    await a`BEGIN`;
    await a`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('acme', 'erin', 'A')`;
    const b = insert("acme", "erin", "B");
    client.close();
    await a`COMMIT`;
    a.release();
    await b;
    const resumed = await open(acme, "erin", { lastEventId: client.lastEventId });
    await resumed.waitFor((c) => c.events.length === 2, 5_000, "A and B");
    expect(resumed.dataOf("notification").map((n) => n.title)).toEqual(["A", "B"]);
    resumed.close();
  });

  it("keeps hostile text inside its event: CR, LF, CRLF and fake fields cannot inject", async () => {
    const hostile = [
      "line one\nline two",
      "carriage\rreturn",
      "crlf\r\nnext",
      '\n\nevent: notification\ndata: {"id":"999"}\nid: 999\n\n',
      "ends with newline\n",
      "emoji 🔔 and 한국어 and \u2028 separators \u2029",
      "id: 5\r\n\r\nretry: 1",
    ];
    const client = await open(acme, "mallory");
    await client.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");

    // A second, independent parser reads the same bytes.
    const parsed: EventSourceMessage[] = [];
    const rawAbort = new AbortController();
    const raw = await fetch(new URL("/v1/stream", stack.server.url), {
      headers: { authorization: `Bearer ${await userToken(acme, "mallory")}` },
      signal: rawAbort.signal,
    });
    const parser = createParser({ onEvent: (event) => parsed.push(event) });
    const reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of raw.body as ReadableStream<Uint8Array>) {
        parser.feed(decoder.decode(chunk, { stream: true }));
      }
    })().catch(() => {});

    for (const text of hostile) {
      await insert("acme", "mallory", text, { body: text, data: stack.sql.json({ text }) });
    }
    await client.waitFor((c) => c.events.length >= hostile.length, 15_000, "hostile rows");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.events.length).toBe(hostile.length);
    const received = client.dataOf<{ title: string; body: string; data: { text: string } }>(
      "notification",
    );
    expect(received.map((n) => n.title)).toEqual(hostile);
    expect(received.map((n) => n.body)).toEqual(hostile);
    expect(received.map((n) => n.data.text)).toEqual(hostile);
    expect(client.retry).toBe(1500);

    const fromParser = parsed.filter((e) => e.event === "notification");
    expect(fromParser.map((e) => JSON.parse(e.data).title)).toEqual(hostile);
    expect(parsed.every((e) => e.event === "notification")).toBe(true);
    rawAbort.abort();
    await reading;
    client.close();
  });

  it("answers an unusable Last-Event-ID with a reset on a 200 stream, never an error", async () => {
    await insert("acme", "frank", "one");
    for (const bad of [
      "abc",
      "-1",
      "99999999999999999999",
      "1e3",
      "0x1",
      "1.0",
      "",
      "999999",
      "1.999999.5",
      "3.2.1",
    ]) {
      const client = await open(acme, "frank", { lastEventId: bad });
      expect(client.response.status, bad).toBe(200);
      if (bad === "") {
        // An empty Last-Event-ID is what a browser sends when it has none: a fresh start.
        await client.waitFor((c) => /^\d+$/.test(c.lastEventId), 5_000, "opening id");
      } else {
        await client.waitFor((c) => c.ofType("reset").length === 1, 5_000, `reset for ${bad}`);
        expect(client.dataOf("reset")[0]).toEqual({
          reason: "unknown_cursor",
          unreadCount: 1,
          unseenCount: 1,
          categoryCounts: [],
        });
        expect(client.lastEventId).toMatch(/^[1-9]\d*$/);
      }
      client.close();
    }
  });

  it("sends a reset when the cursor is further behind than the replay limit", async () => {
    const limited = await startStack({ NOTIFY_REPLAY_LIMIT: "3" });
    try {
      const tenant = await createTenant(limited.server.url, "acme");
      for (let i = 0; i < 5; i++) {
        await limited.sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('acme', 'gina', ${`n${i}`})`;
      }
      const client = await SseClient.connect(limited.server.url, "/v1/stream", {
        token: await userToken(tenant, "gina"),
        lastEventId: "1",
      });
      await client.waitFor((c) => c.ofType("reset").length === 1, 5_000, "reset");
      expect(client.dataOf("reset")[0]).toEqual({
        reason: "cursor_too_old",
        unreadCount: 5,
        unseenCount: 5,
        categoryCounts: [],
      });
      expect(Number(client.lastEventId)).toBeGreaterThan(1);
      client.close();
    } finally {
      await limited.stop();
    }
  });

  it("streams read, unread and archive changes as update events with the new unread count", async () => {
    const token = await userToken(acme, "hank");
    const [first] = await insert("acme", "hank", "first");
    await insert("acme", "hank", "second");
    const tab1 = await open(acme, "hank");
    const tab2 = await open(acme, "hank");
    await tab2.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");

    const read = await api(stack.server.url, "/v1/notifications/read", token, {
      body: { ids: [first?.id] },
    });
    expect(read.body).toEqual({ unreadCount: 1, unseenCount: 1, categoryCounts: [] });
    for (const tab of [tab1, tab2]) {
      await tab.waitFor((c) => c.ofType("update").length === 1, 5_000, "read update");
      expect(tab.dataOf("update")[0]).toMatchObject({ id: first?.id, unreadCount: 1 });
      expect(tab.dataOf("update")[0]?.readAt).toEqual(expect.any(String));
    }
    // Marking it read again changes nothing and sends nothing.
    await api(stack.server.url, "/v1/notifications/read", token, { body: { ids: [first?.id] } });
    await api(stack.server.url, "/v1/notifications/archive", token, { body: { ids: [first?.id] } });
    await tab1.waitFor((c) => c.ofType("update").length === 2, 5_000, "archive update");
    expect(tab1.dataOf("update")[1]).toMatchObject({
      id: first?.id,
      archivedAt: expect.any(String),
      unreadCount: 1,
    });
    await api(stack.server.url, "/v1/notifications/read-all", token, { body: {} });
    await tab1.waitFor((c) => c.ofType("update").length === 3, 5_000, "read-all update");
    expect(tab1.dataOf("update")[2]).toMatchObject({ title: "second", unreadCount: 0 });
    tab1.close();
    tab2.close();
  });

  it("sends comment heartbeats", async () => {
    const client = await open(acme, "ivan");
    await client.waitFor((c) => c.comments.length >= 2, 5_000, "two heartbeats");
    expect(client.comments[0]).toBe("ping");
    client.close();
  });

  it("ends the stream when the token expires, saying so", async () => {
    const token = await userToken(acme, "judy", Math.floor(Date.now() / 1000) + 2);
    const client = await SseClient.connect(stack.server.url, "/v1/stream", { token });
    await client.ended;
    expect(client.dataOf("close")).toEqual([{ reason: "token_expired", retry: false }]);
  });

  it("drops a client that stops reading once its buffer is full, and only that client", async () => {
    const { connect: connectTcp } = await import("node:net");
    const token = await userToken(acme, "sloth");
    const socket = connectTcp(Number(new URL(stack.server.url).port), "127.0.0.1");
    socket.write(`GET /v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    socket.pause(); // reads nothing from here on
    const healthy = await open(acme, "busy-bee");
    await healthy.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
    await new Promise((resolve) => setTimeout(resolve, 200));

    // ~30 MB for the sloth: far more than socket buffers and its 256 KiB allowance.
    await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title, body)
      SELECT 'acme', 'sloth', 'bulk ' || i, repeat('x', 10000) FROM generate_series(1, 3000) AS i`;
    const deadline = Date.now() + 15_000;
    while (
      !stack.server.output.some((line) => line.includes("slow_consumer")) &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(stack.server.output.join("\n")).toContain('"reason":"slow_consumer"');

    await insert("acme", "busy-bee", "still served");
    await healthy.waitFor((c) => c.events.length === 1, 5_000, "the healthy client's event");
    healthy.close();
    socket.destroy();
  });

  it("forgets streams whose clients went away", async () => {
    const openNow = async () =>
      (await (await fetch(new URL("/healthz", stack.server.url))).json()).openStreams as number;
    // Measured against what is open before, so a stream an earlier failed test left open
    // does not fail this one too.
    const before = await openNow();
    const clients = await Promise.all(
      Array.from({ length: 20 }, (_, i) => open(acme, `gone-${i}`)),
    );
    await Promise.all(
      clients.map((c) => c.waitFor((x) => x.lastEventId !== "", 5_000, "opening id")),
    );
    expect(await openNow()).toBeGreaterThanOrEqual(20);
    for (const client of clients) client.close();
    const deadline = Date.now() + 10_000;
    let openStreams = -1;
    while (Date.now() < deadline) {
      openStreams = await openNow();
      if (openStreams <= before) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(openStreams).toBeLessThanOrEqual(before);
  });
});
