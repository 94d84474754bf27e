import { sql } from "drizzle-orm";
import { boolean, foreignKey, index, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { categories } from "./categories.ts";
import { notify } from "./namespace.ts";
import { xid8 } from "./postgres-types.ts";

/**
 * A user's choice for one category of their tenant: listed, counted and delivered live
 * (`inInbox`), and popped up as a toast (`asToast`). No row means both on; a category that
 * is not `mutable` counts as both on whatever the row says. Written by the server
 * (`PUT /v1/preferences`), read by tenant apps for their other channels. The trigger
 * `notify.stamp_preference()` (migration 0022) stamps each write with its transaction id, so
 * a change reaches the user's streams between two ticks, as a notification's does.
 */
export const preferences = notify.table(
  "preferences",
  {
    tenantId: text("tenant_id").notNull(),
    recipient: text().notNull(),
    category: text().notNull(),
    inInbox: boolean("in_inbox").notNull().default(true),
    asToast: boolean("as_toast").notNull().default(true),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /** The transaction that last wrote the row (set by the trigger). */
    txid: xid8().notNull().default(sql`'1'`),
  },
  (table) => [
    primaryKey({
      name: "preferences_pkey",
      columns: [table.tenantId, table.recipient, table.category],
    }),
    foreignKey({
      name: "preferences_category",
      columns: [table.tenantId, table.category],
      foreignColumns: [categories.tenantId, categories.key],
    }).onDelete("cascade"),
    index("preferences_txid").on(table.txid),
  ],
);
