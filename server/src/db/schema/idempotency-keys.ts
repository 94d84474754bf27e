import { integer, jsonb, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { notify } from "./namespace.ts";
import { tenants } from "./tenants.ts";

/**
 * How long a key is remembered: a retry within it gets the first response; after it, the
 * retention job deletes the key and the same key publishes anew (docs: publish API).
 */
export const IDEMPOTENCY_WINDOW = "24 hours";

/** The first response to a publish request with an `Idempotency-Key`, replayed on retries. */
export const idempotencyKeys = notify.table(
  "idempotency_keys",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    key: text().notNull(),
    requestHash: text("request_hash").notNull(),
    status: integer().notNull(),
    response: jsonb().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.key] })],
);
