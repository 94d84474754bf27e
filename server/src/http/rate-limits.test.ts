import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SseClient } from "../../../test/support/sse-client.ts";
import { type Stack, startStack } from "../../../test/support/stack.ts";
import { api, createTenant, type TestTenant, userToken } from "../../../test/support/tenants.ts";

let stack: Stack;
let acme: TestTenant;

beforeAll(async () => {
  stack = await startStack({
    NOTIFY_PUBLISH_PER_RECIPIENT_PER_MINUTE: "3",
    NOTIFY_PUBLISH_PER_TENANT_PER_SECOND: "1000",
    NOTIFY_STREAM_OPENS_PER_USER_PER_MINUTE: "3",
    NOTIFY_MAX_STREAMS_PER_USER: "2",
  });
  acme = await createTenant(stack.server.url, "acme");
});
afterAll(() => stack?.stop());

const publish = (recipients: string[]) =>
  api(stack.server.url, "/v1/notifications", acme.apiKey, { body: { recipients, title: "hi" } });

describe("abuse limits", () => {
  it("answers 429 with Retry-After when one recipient gets too many, and creates nothing", async () => {
    for (let i = 0; i < 3; i++) expect((await publish(["spammed"])).status).toBe(201);
    const refused = await publish(["spammed", "someone-else"]);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const rows = await stack.sql`SELECT recipient FROM notify.notifications`;
    expect(rows.filter((row) => row.recipient === "spammed")).toHaveLength(3);
    expect(rows.filter((row) => row.recipient === "someone-else")).toHaveLength(0);
    // Another recipient of the same tenant is not affected.
    expect((await publish(["fresh"])).status).toBe(201);
  });

  it("tells a client opening streams too fast to come back later, on a 200 stream", async () => {
    const token = await userToken(acme, "hasty");
    for (let i = 0; i < 3; i++) {
      const client = await SseClient.connect(stack.server.url, "/v1/stream", { token });
      await client.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
      client.close();
    }
    const limited = await SseClient.connect(stack.server.url, "/v1/stream", { token });
    expect(limited.response.status).toBe(200);
    await limited.ended;
    expect(limited.dataOf("close")).toEqual([{ reason: "rate_limited", retry: true }]);
    expect(limited.retry).toBeGreaterThan(1_000);
  });

  it("closes a user's oldest stream when one more than allowed opens", async () => {
    const token = await userToken(acme, "many-tabs");
    const first = await SseClient.connect(stack.server.url, "/v1/stream", { token });
    await first.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
    const second = await SseClient.connect(stack.server.url, "/v1/stream", { token });
    await second.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
    const third = await SseClient.connect(stack.server.url, "/v1/stream", { token });
    await first.ended;
    expect(first.dataOf("close")).toEqual([{ reason: "stream_limit", retry: false }]);
    await third.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
    expect(second.isEnded).toBe(false);
    second.close();
    third.close();
  });

  it("are all off with NOTIFY_RATE_LIMITS=off", async () => {
    const unlimited = await startStack({
      NOTIFY_RATE_LIMITS: "off",
      NOTIFY_PUBLISH_PER_RECIPIENT_PER_MINUTE: "1",
      NOTIFY_MAX_STREAMS_PER_USER: "1",
    });
    try {
      const tenant = await createTenant(unlimited.server.url, "free");
      for (let i = 0; i < 3; i++) {
        const response = await api(unlimited.server.url, "/v1/notifications", tenant.apiKey, {
          body: { recipients: ["x"], title: "t" },
        });
        expect(response.status).toBe(201);
      }
      const token = await userToken(tenant, "x");
      const a = await SseClient.connect(unlimited.server.url, "/v1/stream", { token });
      const b = await SseClient.connect(unlimited.server.url, "/v1/stream", { token });
      await b.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
      expect(a.isEnded).toBe(false);
      a.close();
      b.close();
    } finally {
      await unlimited.stop();
    }
  });
});
