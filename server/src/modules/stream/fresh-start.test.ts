import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SseClient } from "../../../../test/support/sse-client.ts";
import { type Stack, startStack } from "../../../../test/support/stack.ts";
import { createTenant, type TestTenant, userToken } from "../../../../test/support/tenants.ts";

// The ticker backs off to one poll a second while nothing changes, so a row committed just
// before a stream opens is, for up to a second, newer than the newest tick.
let stack: Stack;
let acme: TestTenant;

beforeAll(async () => {
  stack = await startStack({ NOTIFY_TICK_POLL_MS: "1000", NOTIFY_HEARTBEAT_MS: "300" });
  acme = await createTenant(stack.server.url, "acme");
});
afterAll(() => stack?.stop());

const insert = (recipient: string, title: string) =>
  stack.sql`INSERT INTO notify.notifications ${stack.sql({ tenant_id: "acme", recipient, title })} RETURNING id::text`;

describe("a stream opened without Last-Event-ID", () => {
  it("starts after every row committed before it opened, ticked or not", async () => {
    // Let the ticker's poll back off (1, 2, 4 … 1000 ms) so the next row waits for a tick.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const token = await userToken(acme, "early");
    await insert("early", "committed before the stream opened");
    const client = await SseClient.connect(stack.server.url, "/v1/stream", { token });
    await client.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
    const opening = client.lastEventId;

    // Longer than the ticker's slowest poll: the early row has been ticked by now.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(client.ofType("notification")).toEqual([]);

    // The stream is live: a row committed after it opened arrives, with the exact count.
    const [later] = await insert("early", "committed after");
    await client.waitFor((c) => c.ofType("notification").length === 1, 5_000, "the later row");
    const [event] = client.dataOf<{ id: string; unreadCount: number }>("notification");
    expect(event).toMatchObject({ id: later?.id, unreadCount: 2 });
    expect(Number(client.lastEventId)).toBeGreaterThan(Number(opening));
    client.close();
  });
});
