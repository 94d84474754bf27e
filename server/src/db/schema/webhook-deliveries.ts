import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, text, timestamp } from "drizzle-orm/pg-core";
import { notify } from "./namespace.ts";
import { tenants } from "./tenants.ts";

/**
 * The webhook outbox: one row per event for a tenant's webhook, written in the transaction
 * of the change it reports (so an event exists exactly when its change committed), sent and
 * retried by `webhooks/webhook-sender.ts` until the receiver answers 2xx, at least once.
 * Readable by the tenant's own database roles (migration 0015).
 */
export const webhookDeliveries = notify.table(
  "webhook_deliveries",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    eventType: text("event_type").notNull(),
    data: jsonb().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    failedAt: timestamp("failed_at", { withTimezone: true }),
    lastError: text("last_error"),
  },
  (table) => [
    index("webhook_deliveries_due")
      .on(table.nextAttemptAt)
      .where(sql`${table.deliveredAt} IS NULL AND ${table.failedAt} IS NULL`),
    index("webhook_deliveries_tenant").on(table.tenantId, table.id),
  ],
);
