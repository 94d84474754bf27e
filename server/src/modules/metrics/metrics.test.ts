import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { scrapeMetrics } from "../../../../test/support/metrics.ts";
import { METRICS_TOKEN, startServer } from "../../../../test/support/server-process.ts";
import { SseClient } from "../../../../test/support/sse-client.ts";
import { type Stack, startStack } from "../../../../test/support/stack.ts";
import { createTenant, type TestTenant, userToken } from "../../../../test/support/tenants.ts";

let stack: Stack;
let acme: TestTenant;

beforeAll(async () => {
  stack = await startStack();
  acme = await createTenant(stack.server.url, "acme");
});
afterAll(() => stack?.stop());

const metrics = () => scrapeMetrics(stack.server.url);

const insert = (recipient: string, title: string) =>
  stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('acme', ${recipient}, ${title})`;

describe("GET /metrics", () => {
  it("counts open streams, deliveries, replays, resets and delivery time", async () => {
    const live = await SseClient.connect(stack.server.url, "/v1/stream", {
      token: await userToken(acme, "m1"),
    });
    await live.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
    await vi.waitFor(async () => expect((await metrics()).get("notify_open_streams")).toBe(1));

    await insert("m1", "live one");
    await live.waitFor((c) => c.events.length === 1, 5_000, "live event");
    const cursor = live.lastEventId;
    live.close();
    const newestTick = async () =>
      Number((await stack.sql`SELECT max(id) AS id FROM notify.ticks`)[0]?.id);
    const before = await newestTick();
    await insert("m1", "missed");
    // A replay is what was ticked before the stream opened: let the ticker record the row.
    await vi.waitFor(async () => expect(await newestTick()).toBeGreaterThan(before));
    const resumed = await SseClient.connect(stack.server.url, "/v1/stream", {
      token: await userToken(acme, "m1"),
      lastEventId: cursor,
    });
    await resumed.waitFor((c) => c.events.length === 1, 5_000, "replayed event");
    const reset = await SseClient.connect(stack.server.url, "/v1/stream", {
      token: await userToken(acme, "m1"),
      lastEventId: "banana",
    });
    await reset.waitFor((c) => c.ofType("reset").length === 1, 5_000, "reset");

    const after = await metrics();
    expect(after.get("notify_open_streams")).toBe(2);
    expect(after.get("notify_events_delivered_total")).toBe(2);
    expect(after.get("notify_events_replayed_total")).toBe(1);
    expect(after.get('notify_stream_resets_total{reason="unknown_cursor"}')).toBe(1);
    expect(after.get("notify_delivery_seconds_count")).toBe(1);
    expect(after.get('notify_streams_closed_total{reason="client_gone"}')).toBe(1);
    resumed.close();
    reset.close();
  });

  it("answers only the metrics token (401 without it, with a wrong one, or when unset)", async () => {
    const scrape = (url: string, authorization?: string) =>
      fetch(new URL("/metrics", url), { headers: authorization ? { authorization } : {} });
    for (const authorization of [
      undefined,
      "Bearer wrong-token-0123456789",
      `Basic ${METRICS_TOKEN}`,
    ]) {
      const refused = await scrape(stack.server.url, authorization);
      expect(refused.status, authorization).toBe(401);
      expect((await refused.json()).error.code).toBe("unauthorized");
    }
    const unset = await startServer({ DATABASE_URL: stack.databaseUrl, NOTIFY_METRICS_TOKEN: "" });
    try {
      const refused = await scrape(unset.url, `Bearer ${METRICS_TOKEN}`);
      expect(refused.status).toBe(401);
      expect((await refused.json()).error.message).toMatch(/NOTIFY_METRICS_TOKEN/);
    } finally {
      await unset.stop("SIGKILL");
    }
  });

  it("names no tenant unless NOTIFY_METRICS_TENANT_LABELS=1", async () => {
    const token = await userToken(acme, "labels");
    const labelled = await startServer({
      DATABASE_URL: stack.databaseUrl,
      NOTIFY_METRICS_TENANT_LABELS: "1",
    });
    const streams = [
      await SseClient.connect(stack.server.url, "/v1/stream", { token }),
      await SseClient.connect(labelled.url, "/v1/stream", { token }),
    ];
    try {
      for (const client of streams) {
        await client.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
      }
      // The streams the test before closed may take a moment to be counted out.
      await vi.waitFor(async () =>
        expect((await scrapeMetrics(stack.server.url)).get("notify_open_streams")).toBe(1),
      );
      const plain = await scrapeMetrics(stack.server.url);
      expect([...plain.keys()].join("\n")).not.toContain("acme");
      expect((await scrapeMetrics(labelled.url)).get('notify_open_streams{tenant="acme"}')).toBe(1);
    } finally {
      for (const client of streams) client.close();
      await labelled.stop("SIGKILL");
    }
  });
});
