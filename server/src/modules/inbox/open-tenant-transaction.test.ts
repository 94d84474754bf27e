import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../../../test/support/stack.ts";
import { api, createTenant, type TestTenant, userToken } from "../../../../test/support/tenants.ts";

let stack: Stack;
let acme: TestTenant;
let globex: TestTenant;

beforeAll(async () => {
  stack = await startStack({ NOTIFY_RATE_LIMITS: "off" });
  acme = await createTenant(stack.server.url, "acme");
  globex = await createTenant(stack.server.url, "globex");
});
afterAll(() => stack?.stop());

/** More users than the server has database connections (NOTIFY_DB_POOL_SIZE, 10). */
const USERS = 30;
/** How long the batch job may stay open at most: the calls must all be answered before. */
const HOLD_MS = 10_000;

describe("a tenant transaction left open", () => {
  it("delays neither its users' mark-read calls nor another tenant's inbox", async () => {
    const users = Array.from({ length: USERS }, (_, i) => `clerk${i}`);
    const earlier = await stack.sql<{ id: string; recipient: string }[]>`
      INSERT INTO notify.notifications (tenant_id, recipient, title)
      SELECT 'acme', r, 'earlier' FROM jsonb_array_elements_text(${JSON.stringify(users)}::text::jsonb) AS r
      RETURNING id::text, recipient`;
    await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title)
      VALUES ('globex', 'gail', 'hello')`;

    // The tenant's batch job notifies every user and then stays open.
    const job = await stack.sql.reserve();
    await job`BEGIN`;
    await job`INSERT INTO notify.notifications (tenant_id, recipient, title)
      SELECT 'acme', r, 'from the batch job' FROM jsonb_array_elements_text(${JSON.stringify(users)}::text::jsonb) AS r`;
    let jobOpen = true;

    const answeredWhileOpen: string[] = [];
    const calls = [
      ...earlier.map(async ({ id, recipient }) => {
        const response = await api(
          stack.server.url,
          "/v1/notifications/read",
          await userToken(acme, recipient),
          { body: { ids: [id] } },
        );
        // The job's rows are not committed: they count once it commits, not before.
        if (jobOpen) {
          expect(response.body).toEqual({ unreadCount: 0, unseenCount: 0, categoryCounts: [] });
          answeredWhileOpen.push(recipient);
        }
      }),
      (async () => {
        const response = await api(
          stack.server.url,
          "/v1/notifications",
          await userToken(globex, "gail"),
        );
        expect(response.body.items.map((n: { title: string }) => n.title)).toEqual(["hello"]);
        if (jobOpen) answeredWhileOpen.push("globex/gail");
      })(),
    ];
    const all = Promise.all(calls);
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, HOLD_MS))]);
    jobOpen = false;
    await job`COMMIT`;
    job.release();
    await all;

    expect(answeredWhileOpen.sort()).toEqual([...users, "globex/gail"].sort());
  });
});
