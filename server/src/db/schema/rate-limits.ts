import { bigint, integer, varchar } from "drizzle-orm/pg-core";
import { notify } from "./namespace.ts";

/**
 * Rate-limit counters every instance shares (rate-limiter-flexible's RateLimiterPostgres
 * layout: key, points used in the window, window end in ms), so N instances do not allow
 * N times a budget. Rows past their window are deleted by the limiter itself.
 */
export const rateLimits = notify.table("rate_limits", {
  key: varchar({ length: 255 }).primaryKey(),
  points: integer().notNull().default(0),
  expire: bigint({ mode: "number" }),
});
