import { createHash } from "node:crypto";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import type { Limits } from "../config.ts";
import type { Sql } from "../db/client.ts";
import { ApiError } from "./api-error.ts";
import { postgresRateStore } from "./postgres-rate-store.ts";

/**
 * Rate limits, on by default, high enough for the capacity targets, each set by its own
 * variable. Publishing and stream opens are counted per process (behind a load balancer the
 * effective limit is the sum); a user's own writes are counted in Postgres, shared by every
 * instance, because each such write updates rows and wakes streams.
 */
export interface RateLimits {
  /** Throws 429 `rate_limited` with Retry-After when the tenant or a recipient is over. */
  publish(tenantId: string, recipients: readonly string[]): Promise<void>;
  /** Milliseconds to wait when this user or tenant opens streams too fast; 0 when allowed. */
  streamOpen(tenantId: string, recipient: string): Promise<number>;
  /** Throws 429 `rate_limited` with Retry-After when this user or tenant writes too often. */
  userWrite(tenantId: string, recipient: string): Promise<void>;
}

/**
 * `shared`: the pool the shared counters live in (notify.rate_limits, migration 0011). If
 * Postgres cannot be reached, each instance falls back to counting in its own memory.
 */
export function createRateLimits(limits: Limits, shared: Sql): RateLimits {
  if (!limits.enabled) {
    return { publish: async () => {}, streamOpen: async () => 0, userWrite: async () => {} };
  }
  const publishPerTenant = new RateLimiterMemory({
    points: limits.publishPerTenantPerSecond,
    duration: 1,
  });
  const publishPerRecipient = new RateLimiterMemory({
    points: limits.publishPerRecipientPerMinute,
    duration: 60,
  });
  const opensPerTenant = new RateLimiterMemory({
    points: limits.streamOpensPerTenantPerSecond,
    duration: 1,
  });
  const opensPerUser = new RateLimiterMemory({
    points: limits.streamOpensPerUserPerMinute,
    duration: 60,
  });

  const writesPerUser = sharedLimiter(shared, "user_writes", limits.userWritesPerUserPerMinute);
  const writesPerTenant = sharedLimiter(
    shared,
    "tenant_writes",
    limits.userWritesPerTenantPerMinute,
  );

  return {
    async publish(tenantId, recipients) {
      const waitMs = await firstRefusal([
        () => publishPerTenant.consume(tenantId),
        ...recipients.map(
          (recipient) => () => publishPerRecipient.consume(JSON.stringify([tenantId, recipient])),
        ),
      ]);
      if (waitMs > 0) refuse(waitMs, "too many notifications");
    },
    async userWrite(tenantId, recipient) {
      // The user's own budget first, so one user over it does not spend the tenant's.
      const waitMs = await firstRefusal([
        () => writesPerUser.consume(userKey(tenantId, recipient)),
        () => writesPerTenant.consume(tenantId),
      ]);
      if (waitMs > 0) refuse(waitMs, "too many changes");
    },
    streamOpen: (tenantId, recipient) =>
      firstRefusal([
        () => opensPerTenant.consume(tenantId),
        () => opensPerUser.consume(JSON.stringify([tenantId, recipient])),
      ]),
  };
}

/** A per-minute limiter whose counts live in Postgres, shared by every instance. */
function sharedLimiter(sql: Sql, keyPrefix: string, perMinute: number): RateLimiterPostgres {
  return new RateLimiterPostgres({
    storeClient: postgresRateStore(sql),
    storeType: "client",
    schemaName: "notify",
    tableName: "rate_limits",
    tableCreated: true,
    keyPrefix,
    points: perMinute,
    duration: 60,
    // Once a key is over its budget, refuse it from memory until the window ends.
    inMemoryBlockOnConsumed: perMinute,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix, points: perMinute, duration: 60 }),
  });
}

/** Keys are at most 255 characters and should not show who is limited: a digest. */
function userKey(tenantId: string, recipient: string): string {
  return createHash("sha256")
    .update(JSON.stringify([tenantId, recipient]))
    .digest("base64url");
}

function refuse(waitMs: number, what: string): never {
  const seconds = Math.ceil(waitMs / 1000);
  throw new ApiError(429, "rate_limited", `${what}; retry in ${seconds} s`, {
    "retry-after": String(seconds),
  });
}

/** Consumes from each limiter in turn; the wait of the first that refuses, else 0. */
async function firstRefusal(steps: (() => Promise<RateLimiterRes>)[]): Promise<number> {
  for (const step of steps) {
    try {
      await step();
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return Math.max(refusal.msBeforeNext, 1);
      throw refusal;
    }
  }
  return 0;
}
