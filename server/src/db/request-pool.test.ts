import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../../test/support/stack.ts";
import { api, createTenant, type TestTenant, userToken } from "../../../test/support/tenants.ts";

/**
 * The request pool is shared by every tenant; one tenant's requests stuck behind a lock (here:
 * rows its own app keeps locked in an open transaction) must neither hang nor take the pool
 * from the others. Before the pool had lock and statement timeouts and a per-tenant share, a
 * dozen such requests made another tenant's inbox wait for as long as the lock was held.
 */
let stack: Stack;
let slow: TestTenant;
let fast: TestTenant;
const HOLD_MS = 8_000;

beforeAll(async () => {
  stack = await startStack({
    NOTIFY_RATE_LIMITS: "off",
    NOTIFY_DB_POOL_SIZE: "6",
    NOTIFY_DB_LOCK_TIMEOUT_MS: "500",
  });
  slow = await createTenant(stack.server.url, "slow");
  fast = await createTenant(stack.server.url, "fast");
  await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title)
    SELECT t, 'u', 'n' FROM unnest(ARRAY['slow', 'fast']) AS t`;
});
afterAll(() => stack?.stop());

describe("the request pool", () => {
  it("keeps serving other tenants while one tenant's requests wait on its own locks", async () => {
    const [row] =
      await stack.sql`SELECT id::text FROM notify.notifications WHERE tenant_id = 'slow'`;
    const slowToken = await userToken(slow, "u");
    const fastToken = await userToken(fast, "u");

    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = stack.sql.begin(async (tx) => {
      await tx`SELECT 1 FROM notify.notifications WHERE tenant_id = 'slow' FOR UPDATE`;
      locked();
      await tx`SELECT pg_sleep(${HOLD_MS / 1000})`;
    });
    await isLocked;

    const started = Date.now();
    const stuck = Array.from({ length: 12 }, () =>
      api(stack.server.url, "/v1/notifications/read", slowToken, { body: { ids: [row?.id] } }).then(
        (response) => ({ ...response, ms: Date.now() - started }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    const before = Date.now();
    const list = await api(stack.server.url, "/v1/notifications", fastToken);
    const listMs = Date.now() - before;
    expect(list.status).toBe(200);
    // The lock is held for 8 s: a list that waited for it would take that long.
    expect(listMs).toBeLessThan(HOLD_MS / 4);

    const answers = await Promise.all(stuck);
    await holder;
    // Each stuck request gave its connection back after the lock timeout, with a retryable
    // answer, long before the lock was released.
    const busy = answers.filter((answer) => answer.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    for (const answer of busy) {
      expect(answer.body.error.code).toBe("database_busy");
      expect(answer.headers.get("retry-after")).toBe("1");
      expect(answer.ms).toBeLessThan(HOLD_MS);
    }
    for (const answer of answers) expect([200, 503]).toContain(answer.status);
  });
});
