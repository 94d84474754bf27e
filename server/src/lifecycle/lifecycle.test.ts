import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN } from "../../../test/support/server-process.ts";
import { SseClient } from "../../../test/support/sse-client.ts";
import { type Stack, startStack } from "../../../test/support/stack.ts";
import { api, createTenant, type TestTenant, userToken } from "../../../test/support/tenants.ts";

let stack: Stack;
let acme: TestTenant;

beforeAll(async () => {
  stack = await startStack({ NOTIFY_RETENTION_INTERVAL_MS: "1000" });
  acme = await createTenant(stack.server.url, "acme");
});
afterAll(() => stack?.stop());

const admin = (path: string, method: string, body?: unknown) =>
  api(stack.server.url, path, ADMIN_TOKEN, { method, body });

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("expiry", () => {
  it("drops expired notifications from lists, counts, replays and changes", async () => {
    const token = await userToken(acme, "ephemeral");
    const soon = new Date(Date.now() + 1_500).toISOString();
    const published = await api(stack.server.url, "/v1/notifications", acme.apiKey, {
      body: { recipients: ["ephemeral"], title: "flash sale", expiresAt: soon },
    });
    expect(published.status).toBe(201);
    await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('acme', 'ephemeral', 'stays')`;
    const before = await api(stack.server.url, "/v1/notifications", token);
    expect(before.body.unreadCount).toBe(2);
    expect(before.body.items.map((item: { title: string }) => item.title)).toEqual([
      "stays",
      "flash sale",
    ]);
    expect(before.body.items[1].expiresAt).toBe(soon);

    await new Promise((resolve) => setTimeout(resolve, 1_700));
    const after = await api(stack.server.url, "/v1/notifications", token);
    expect(after.body.unreadCount).toBe(1);
    expect(after.body.items.map((item: { title: string }) => item.title)).toEqual(["stays"]);
    const expiredId = published.body.ids[0];
    expect(
      (await api(stack.server.url, "/v1/notifications/read", token, { body: { ids: [expiredId] } }))
        .status,
    ).toBe(404);
    const replay = await SseClient.connect(stack.server.url, "/v1/stream", {
      token,
      lastEventId: "0",
    });
    await replay.waitFor((c) => c.events.length === 1, 5_000, "the replay");
    expect(replay.dataOf("notification").map((n) => [n.title, n.unreadCount])).toEqual([
      ["stays", 1],
    ]);
    replay.close();
    // The retention job deletes it, and the count stays right.
    await eventually(
      async () =>
        (await stack.sql`SELECT 1 FROM notify.notifications WHERE id = ${expiredId}`).length === 0,
      "the expired row to be deleted",
    );
    expect((await api(stack.server.url, "/v1/notifications/unread-count", token)).body).toEqual({
      unreadCount: 1,
      unseenCount: 1,
      categoryCounts: [],
    });
  });
});

describe("retention", () => {
  it("deletes a tenant's notifications older than its retention, in batches, while inserts go on", async () => {
    const tenant = await createTenant(stack.server.url, "keeper");
    await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title, created_at)
      SELECT 'keeper', 'user-' || (i % 50), 'old ' || i, now() - interval '3 days'
      FROM generate_series(1, 3000) AS i`;
    await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('keeper', 'user-1', 'new')`;
    // Another tenant's old rows are not affected by keeper's retention.
    await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title, created_at)
      VALUES ('acme', 'archivist', 'ancient', now() - interval '300 days')`;

    const patched = await admin("/v1/admin/tenants/keeper", "PATCH", { retentionDays: 1 });
    expect(patched.body).toMatchObject({ id: "keeper", retentionDays: 1 });

    // Inserts keep going while old rows are deleted.
    const slowest = { ms: 0 };
    const writer = (async () => {
      for (let i = 0; i < 40; i++) {
        const started = Date.now();
        await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title)
          VALUES ('keeper', ${`user-${i % 50}`}, ${`during ${i}`})`;
        slowest.ms = Math.max(slowest.ms, Date.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    await eventually(
      async () =>
        (
          await stack.sql`SELECT 1 FROM notify.notifications WHERE tenant_id = 'keeper' AND title LIKE 'old %' LIMIT 1`
        ).length === 0,
      "old rows to be deleted",
      30_000,
    );
    await writer;
    expect(slowest.ms).toBeLessThan(2_000);
    const [{ count }] = (await stack.sql`SELECT count(*)::int FROM notify.notifications
      WHERE tenant_id = 'keeper'`) as unknown as [{ count: number }];
    expect(count).toBe(41);
    const counts = await api(
      stack.server.url,
      "/v1/notifications/unread-count",
      await userToken(tenant, "user-1"),
    );
    expect(counts.body.unreadCount).toBe(2);
    const [ancient] = await stack.sql`SELECT 1 FROM notify.notifications WHERE title = 'ancient'`;
    expect(ancient).toBeDefined();
  });
});

describe("erasure", () => {
  it("deletes idempotency keys older than their 24-hour window, and keeps younger ones", async () => {
    const publish = (key: string) =>
      api(stack.server.url, "/v1/notifications", acme.apiKey, {
        body: { recipients: ["keyed"], title: key },
        headers: { "idempotency-key": key },
      });
    expect((await publish("old-key")).status).toBe(201);
    expect((await publish("young-key")).status).toBe(201);
    await stack.sql`UPDATE notify.idempotency_keys SET created_at = now() - interval '25 hours'
      WHERE key = 'old-key'`;
    const keys = async () =>
      (await stack.sql`SELECT key FROM notify.idempotency_keys ORDER BY key`).map((r) => r.key);
    await eventually(async () => !(await keys()).includes("old-key"), "the old key deleted");
    expect(await keys()).toContain("young-key");
  });

  it("erases one user's notifications for a tenant; their stream goes on without a gap", async () => {
    const token = await userToken(acme, "forget-me");
    for (const title of ["a", "b", "c"]) {
      await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('acme', 'forget-me', ${title})`;
    }
    await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('acme', 'keep-me', 'k')`;
    const stream = await SseClient.connect(stack.server.url, "/v1/stream", { token });
    await stream.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");

    const erased = await admin("/v1/admin/tenants/acme/recipients/forget-me", "DELETE");
    expect(erased).toMatchObject({ status: 200, body: { deleted: 3 } });
    const list = await api(stack.server.url, "/v1/notifications", token);
    expect(list.body).toEqual({
      items: [],
      nextCursor: null,
      unreadCount: 0,
      unseenCount: 0,
      categoryCounts: [],
    });
    const others = await api(
      stack.server.url,
      "/v1/notifications",
      await userToken(acme, "keep-me"),
    );
    expect(others.body.items).toHaveLength(1);

    // The open stream hears of each deleted row, then goes on.
    await stream.waitFor((c) => c.events.length === 3, 5_000, "the erased rows' deletes");
    expect(stream.events.map((e) => e.type)).toEqual(["delete", "delete", "delete"]);
    expect(stream.dataOf("delete").at(-1)).toMatchObject({ unreadCount: 0 });
    await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('acme', 'forget-me', 'after')`;
    await stream.waitFor((c) => c.events.length === 4, 5_000, "a notification after erasure");
    expect(stream.dataOf("notification")[0]).toMatchObject({ title: "after", unreadCount: 1 });
    stream.close();
  });

  it("PATCH answers 404 for an unknown tenant and refuses inexact origins", async () => {
    expect((await admin("/v1/admin/tenants/nobody", "PATCH", { name: "x" })).status).toBe(404);
    expect(
      (await admin("/v1/admin/tenants/acme", "PATCH", { allowedOrigins: ["https://x.example/"] }))
        .status,
    ).toBe(400);
    const updated = await admin("/v1/admin/tenants/acme", "PATCH", {
      allowedOrigins: ["https://x.example"],
    });
    expect(updated.body).toMatchObject({
      allowedOrigins: ["https://x.example"],
      retentionDays: null,
    });
  });
});
