import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReconnectingClient } from "../../../../test/support/reconnecting-client.ts";
import { type Stack, startStack } from "../../../../test/support/stack.ts";
import { TcpProxy } from "../../../../test/support/tcp-proxy.ts";
import { createTenant, userToken } from "../../../../test/support/tenants.ts";

let stack: Stack;
let proxy: TcpProxy;

beforeAll(async () => {
  stack = await startStack({ NOTIFY_RETRY_MS: "200", NOTIFY_RATE_LIMITS: "off" });
  // Between the client and the server, so the test can cut the client's connection.
  proxy = new TcpProxy(Number(new URL(stack.server.url).port));
  await proxy.start();
});
afterAll(async () => {
  await proxy?.stop();
  await stack?.stop();
});

describe("a client's connection cut mid-stream", () => {
  it("resumes with Last-Event-ID: nothing lost, nothing doubled, in order", async () => {
    const acme = await createTenant(stack.server.url, "acme");
    const client = new ReconnectingClient(
      () => `http://127.0.0.1:${proxy.port}`,
      await userToken(acme, "commuter"),
    );
    const deadline = Date.now() + 5_000;
    while (client.connections === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 200));

    const titles = Array.from({ length: 120 }, (_, i) => `n${String(i).padStart(3, "0")}`);
    let cuts = 0;
    for (const [i, title] of titles.entries()) {
      await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('acme', 'commuter', ${title})`;
      if (i % 40 === 20) {
        proxy.cut(); // the client's TCP connection dies while rows keep committing
        cuts++;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await client.waitForTitles(titles.length, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.titles()).toEqual(titles);
    expect(client.connections).toBe(cuts + 1);
    await client.stop();
  });
});
