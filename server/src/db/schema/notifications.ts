import { sql } from "drizzle-orm";
import { bigint, check, index, jsonb, text, timestamp } from "drizzle-orm/pg-core";
import { notify } from "./namespace.ts";
import { xid8 } from "./postgres-types.ts";
import { tenants } from "./tenants.ts";

/**
 * One notification for one recipient. Tenant apps insert rows here with plain SQL; the
 * trigger `notify.stamp_change()` (`drizzle/0011_snapshot_cursors.sql`) stamps each change
 * with its transaction id in `txid` (and the inserting one in `createdTxid`), taking no lock:
 * whatever an INSERT puts there is overwritten. See docs/design/delivery.md.
 *
 * The limits below are the product's documented limits; the publish API checks the same
 * numbers (`modules/publish/model.ts`) so SQL and HTTP refuse the same rows.
 */
export const limits = {
  recipient: 256,
  title: 1_000,
  body: 10_000,
  url: 2_048,
  category: 100,
  dataBytes: 16_384,
} as const;

/** `http:`/`https:` URLs, or a path starting with one `/` (`//host` would leave the site). */
export const urlPattern =
  "^(https?://[^[:space:][:cntrl:]]+|/([^/\\\\[:space:][:cntrl:]][^[:space:][:cntrl:]]*)?)$";

export const notifications = notify.table(
  "notifications",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    recipient: text().notNull(),
    title: text().notNull(),
    body: text(),
    url: text(),
    category: text(),
    data: jsonb(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    /** Optional: after this the notification is gone from lists, counts and the stream. */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    /** The transaction that last changed the row; rows older than migration 0011 carry 1. */
    txid: xid8().notNull().default(sql`'1'`),
    /** The transaction that inserted the row. */
    createdTxid: xid8("created_txid").notNull().default(sql`'1'`),
  },
  (table) => [
    index("notifications_recipient_id").on(table.tenantId, table.recipient, table.id.desc()),
    index("notifications_expiring")
      .on(table.tenantId, table.recipient, table.expiresAt)
      .where(sql`${table.expiresAt} IS NOT NULL`),
    index("notifications_tenant_created").on(table.tenantId, table.createdAt),
    index("notifications_recipient_txid").on(table.tenantId, table.recipient, table.txid),
    index("notifications_txid").on(table.txid),
    index("notifications_unread")
      .on(table.tenantId, table.recipient)
      .where(sql`${table.readAt} IS NULL AND ${table.archivedAt} IS NULL`),
    check(
      "notifications_recipient_length",
      sql`char_length(${table.recipient}) BETWEEN 1 AND ${sql.raw(String(limits.recipient))}`,
    ),
    check(
      "notifications_title_length",
      sql`char_length(${table.title}) BETWEEN 1 AND ${sql.raw(String(limits.title))}`,
    ),
    check(
      "notifications_body_length",
      sql`char_length(${table.body}) <= ${sql.raw(String(limits.body))}`,
    ),
    check(
      "notifications_url_format",
      sql`char_length(${table.url}) <= ${sql.raw(String(limits.url))} AND ${table.url} ~* ${sql.raw(`'${urlPattern}'`)}`,
    ),
    check(
      "notifications_category_length",
      sql`char_length(${table.category}) BETWEEN 1 AND ${sql.raw(String(limits.category))}`,
    ),
    check(
      "notifications_data_object",
      sql`jsonb_typeof(${table.data}) = 'object' AND octet_length(${table.data}::text) <= ${sql.raw(String(limits.dataBytes))}`,
    ),
  ],
);
