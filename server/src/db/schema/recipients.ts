import { bigint, integer, primaryKey, text } from "drizzle-orm/pg-core";
import { notify } from "./namespace.ts";
import { tenants } from "./tenants.ts";

/**
 * One row per (tenant, recipient), kept by the trigger: `lastSeq` is the head of that
 * recipient's change log and `unreadCount` their unread, unarchived total. The trigger
 * upserts this row for every change, and the row lock it takes serialises writers for one
 * recipient until commit, which is what makes `seq` order equal commit order.
 */
export const recipients = notify.table(
  "recipients",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    recipient: text().notNull(),
    lastSeq: bigint("last_seq", { mode: "number" }).notNull().default(0),
    unreadCount: integer("unread_count").notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.recipient] })],
);
