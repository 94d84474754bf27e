import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Limits } from "../config.ts";
import { ApiError } from "./api-error.ts";

/**
 * Per-process rate limits (each instance counts its own traffic; behind a load balancer
 * the effective limit is the sum). Limits are on by default, high enough for the capacity
 * targets, and each is set by its own variable.
 */
export interface RateLimits {
  /** Throws 429 `rate_limited` with Retry-After when the tenant or a recipient is over. */
  publish(tenantId: string, recipients: readonly string[]): Promise<void>;
  /** Milliseconds to wait when this user or tenant opens streams too fast; 0 when allowed. */
  streamOpen(tenantId: string, recipient: string): Promise<number>;
}

export function createRateLimits(limits: Limits): RateLimits {
  if (!limits.enabled) return { publish: async () => {}, streamOpen: async () => 0 };
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

  return {
    async publish(tenantId, recipients) {
      const waitMs = await firstRefusal([
        () => publishPerTenant.consume(tenantId),
        ...recipients.map(
          (recipient) => () => publishPerRecipient.consume(JSON.stringify([tenantId, recipient])),
        ),
      ]);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        throw new ApiError(429, "rate_limited", `too many notifications; retry in ${seconds} s`, {
          "retry-after": String(seconds),
        });
      }
    },
    streamOpen: (tenantId, recipient) =>
      firstRefusal([
        () => opensPerTenant.consume(tenantId),
        () => opensPerUser.consume(JSON.stringify([tenantId, recipient])),
      ]),
  };
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
