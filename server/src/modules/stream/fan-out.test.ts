import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scrapeMetrics } from "../../../../test/support/metrics.ts";
import { SseClient } from "../../../../test/support/sse-client.ts";
import { type Stack, startStack } from "../../../../test/support/stack.ts";
import { createTenant, type TestTenant, userToken } from "../../../../test/support/tenants.ts";

let stack: Stack;
let acme: TestTenant;
let globex: TestTenant;

beforeAll(async () => {
  stack = await startStack({ NOTIFY_RATE_LIMITS: "off" });
  acme = await createTenant(stack.server.url, "acme");
  globex = await createTenant(stack.server.url, "globex");
});
afterAll(() => stack?.stop());

const USERS = 200;

/** Change-log queries so far and the reads they answered. */
async function changeReads() {
  const series = await scrapeMetrics(stack.server.url);
  return {
    queries: series.get('notify_stream_read_batch_size_count{kind="changes"}') ?? 0,
    reads: series.get('notify_stream_read_batch_size_sum{kind="changes"}') ?? 0,
  };
}

describe("one statement for many recipients", () => {
  it("reaches every stream of every recipient, each tenant only its own, in a few batched reads", async () => {
    const users = Array.from({ length: USERS }, (_, i) => `fan${i}`);
    const open = async (tenant: TestTenant, user: string) => {
      const client = await SseClient.connect(stack.server.url, "/v1/stream", {
        token: await userToken(tenant, user),
      });
      await client.waitFor((c) => c.lastEventId !== "", 10_000, `${user} opening id`);
      return client;
    };
    // Every user in both tenants, and a second tab for the first user of acme.
    const acmeStreams = await Promise.all(users.map((user) => open(acme, user)));
    const globexStreams = await Promise.all(users.map((user) => open(globex, user)));
    const secondTab = await open(acme, users[0] as string);
    const before = await changeReads();

    // One transaction: a row for every user in both tenants.
    await stack.sql.begin(async (tx) => {
      for (const tenant of ["acme", "globex"]) {
        await tx`INSERT INTO notify.notifications (tenant_id, recipient, title)
          SELECT ${tenant}, 'fan' || i, ${tenant} || ' to fan' || i
          FROM generate_series(0, ${USERS - 1}) AS i`;
      }
    });

    const expectOne = async (client: SseClient, tenant: string, user: string) => {
      await client.waitFor((c) => c.events.length >= 1, 15_000, `${tenant}/${user} event`);
      expect(client.events.map((e) => [e.type, JSON.parse(e.data).title])).toEqual([
        ["notification", `${tenant} to ${user}`],
      ]);
    };
    await Promise.all([
      ...acmeStreams.map((client, i) => expectOne(client, "acme", users[i] as string)),
      ...globexStreams.map((client, i) => expectOne(client, "globex", users[i] as string)),
      expectOne(secondTab, "acme", users[0] as string),
    ]);

    // 401 streams were woken; their reads went out batched, one query per tenant per batch,
    // each distinct (recipient, cursor) once: the two tabs of one user share a read.
    const after = await changeReads();
    expect(after.reads - before.reads).toBe(2 * USERS);
    expect(after.queries - before.queries).toBeLessThanOrEqual(USERS / 10);
    for (const client of [...acmeStreams, ...globexStreams, secondTab]) client.close();
  });
});
