import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

/** Inserts one anonymous client may make through the demo per minute. */
export const INSERTS_PER_CLIENT_PER_MINUTE = 20;
/** Inserts all anonymous clients together may make through the demo per minute. */
export const INSERTS_PER_MINUTE = 120;

/**
 * The demo lets anyone who can reach it insert rows (that is what it shows), so it caps
 * them: per client address and in total. Returns the wait in milliseconds, 0 when allowed.
 */
export function createInsertLimit() {
  const perClient = new RateLimiterMemory({ points: INSERTS_PER_CLIENT_PER_MINUTE, duration: 60 });
  const overall = new RateLimiterMemory({ points: INSERTS_PER_MINUTE, duration: 60 });
  return async (client: string): Promise<number> => {
    try {
      await perClient.consume(client);
      await overall.consume("all");
      return 0;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return Math.max(refusal.msBeforeNext, 1);
      throw refusal;
    }
  };
}
