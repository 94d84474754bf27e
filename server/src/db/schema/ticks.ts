import { bigint, timestamp } from "drizzle-orm/pg-core";
import { notify } from "./namespace.ts";
import { pgSnapshot } from "./postgres-types.ts";

/**
 * The snapshots stream cursors name. The server's ticker (one instance at a time) records
 * `pg_current_snapshot()` here whenever a change became visible since the last tick, so "what
 * changed between tick A and tick B" is every row whose writing transaction is visible in B's
 * snapshot and not in A's: a transaction that commits late shows up in a later tick, and one
 * that stays open holds back only its own rows. Pruned after a retention period
 * (`realtime/ticker.ts`); a cursor older than the oldest tick is answered with a reset.
 */
export const ticks = notify.table("ticks", {
  id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  snapshot: pgSnapshot().notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
