import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scrapeMetrics } from "../../../test/support/metrics.ts";
import { SseClient } from "../../../test/support/sse-client.ts";
import { type Stack, startStack } from "../../../test/support/stack.ts";
import { createTenant, type TestTenant, userToken } from "../../../test/support/tenants.ts";

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
  it("counts open streams per tenant, deliveries, replays, resets and delivery time", async () => {
    const live = await SseClient.connect(stack.server.url, "/v1/stream", {
      token: await userToken(acme, "m1"),
    });
    await live.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
    expect((await metrics()).get('notify_open_streams{tenant="acme"}')).toBe(1);

    await insert("m1", "live one");
    await live.waitFor((c) => c.events.length === 1, 5_000, "live event");
    const cursor = live.lastEventId;
    live.close();
    await insert("m1", "missed");
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
    expect(after.get('notify_open_streams{tenant="acme"}')).toBe(2);
    expect(after.get("notify_events_delivered_total")).toBe(2);
    expect(after.get("notify_events_replayed_total")).toBe(1);
    expect(after.get('notify_stream_resets_total{reason="unknown_cursor"}')).toBe(1);
    expect(after.get("notify_delivery_seconds_count")).toBe(1);
    expect(after.get('notify_streams_closed_total{reason="client_gone"}')).toBe(1);
    resumed.close();
    reset.close();
  });
});
