import { bigint, index, text } from "drizzle-orm/pg-core";
import { notify } from "./namespace.ts";
import { xid8 } from "./postgres-types.ts";

/**
 * Notifications that were deleted (by SQL, retention or erasure), kept until every cursor that
 * could still miss them is older than the oldest tick: a stream turns each into a `delete`
 * event with the recipient's new unread count. Written only by the delete trigger.
 */
export const tombstones = notify.table(
  "tombstones",
  {
    notificationId: bigint("notification_id", { mode: "number" }).primaryKey(),
    tenantId: text("tenant_id").notNull(),
    recipient: text().notNull(),
    txid: xid8().notNull(),
  },
  (table) => [
    index("tombstones_recipient_txid").on(table.tenantId, table.recipient, table.txid),
    index("tombstones_txid").on(table.txid),
  ],
);
