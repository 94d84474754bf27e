import { sql } from "drizzle-orm";
import { bigint, check, foreignKey, index, jsonb, text, timestamp } from "drizzle-orm/pg-core";
import { categories, categoryLimits } from "./categories.ts";
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
  category: categoryLimits.key,
  dataBytes: 16_384,
  actorName: 100,
  /** At most two action buttons, each with a short id and label. */
  actions: 2,
  actionId: 64,
  actionLabel: 80,
  /** The publish API's limit for an action's URL; SQL bounds the whole `actions` value. */
  actionUrl: 1_024,
  actionsBytes: 4_096,
  groupKey: 128,
} as const;

/**
 * A group key: what the tenant names a thread of repeats by ("comment:q3-roadmap"). Letters,
 * digits and `_ . : / -` only, so it is safe in a URL, a log line and an attribute as it is.
 */
export const groupKeyPattern = `^[A-Za-z0-9_.:/-]{1,${limits.groupKey}}$`;

/** An avatar is fetched by the browser: only https URLs or a path on the site. */
export const avatarUrlPattern =
  "^(https://[^[:space:][:cntrl:]]+|/([^/\\\\[:space:][:cntrl:]][^[:space:][:cntrl:]]*)?)$";

/** An action's id: what the tenant's webhook and SQL get back when the user clicks it. */
export const actionIdPattern = "^[A-Za-z0-9_.:-]+$";

/** `http:`/`https:` URLs, or a path starting with one `/` (`//host` would leave the site). */
export const urlPattern =
  "^(https?://[^[:space:][:cntrl:]]+|/([^/\\\\[:space:][:cntrl:]][^[:space:][:cntrl:]]*)?)$";

/**
 * What `actions` must be, as a jsonpath filter that keeps the valid items: an object with
 * only `id`, `label`, optional `url` (as `url`'s pattern) and optional `style`. The CHECK
 * below compares the count it keeps with the array's length.
 */
const validAction = [
  '@.type() == "object"',
  `@.id like_regex "^[A-Za-z0-9_.:-]{1,${limits.actionId}}$"`,
  `@.label like_regex "^[^[:cntrl:]]{1,${limits.actionLabel}}$"`,
  `(!exists(@.url) || @.url like_regex ${JSON.stringify(urlPattern)} flag "i")`,
  '(!exists(@.style) || @.style == "primary" || @.style == "secondary")',
  '!exists(@.keyvalue() ? (@.key != "id" && @.key != "label" && @.key != "url" && @.key != "style"))',
].join(" && ");

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
    /** When the user first saw it in the inbox (or read it); null counts as unseen. */
    seenAt: timestamp("seen_at", { withTimezone: true }),
    /** Who it is from, shown with an avatar (initials without one). */
    actorName: text("actor_name"),
    actorAvatarUrl: text("actor_avatar_url"),
    /** Up to two buttons: `[{ id, label, url?, style? }]` (migration 0018 checks the shape). */
    actions: jsonb(),
    /** The action the user took (one of `actions`' ids), and when: set once. */
    actionTaken: text("action_taken"),
    actionTakenAt: timestamp("action_taken_at", { withTimezone: true }),
    /**
     * Snoozed until then: out of lists and counts; at that time the snooze job clears it and
     * the row comes back unread, unseen and new (migration 0019).
     */
    snoozedUntil: timestamp("snoozed_until", { withTimezone: true }),
    /**
     * The unread rows of one recipient with the same key are one inbox row and count as one
     * (migration 0021); read, archived or snoozed rows are never grouped.
     */
    groupKey: text("group_key"),
    /** The transaction that last changed the row; rows older than migration 0011 carry 1. */
    txid: xid8().notNull().default(sql`'1'`),
    /** The transaction that inserted the row. */
    createdTxid: xid8("created_txid").notNull().default(sql`'1'`),
  },
  (table) => [
    // A category must be declared first (migration 0021 declared those already in use). The
    // check looks up (and key-share locks) the category's row: no index on notifications is
    // needed for it, and deleting a category in use is refused.
    foreignKey({
      name: "notifications_category_declared",
      columns: [table.tenantId, table.category],
      foreignColumns: [categories.tenantId, categories.key],
    }),
    index("notifications_recipient_id").on(table.tenantId, table.recipient, table.id.desc()),
    index("notifications_expiring")
      .on(table.tenantId, table.recipient, table.expiresAt)
      .where(sql`${table.expiresAt} IS NOT NULL`),
    index("notifications_tenant_created").on(table.tenantId, table.createdAt),
    index("notifications_recipient_txid").on(table.tenantId, table.recipient, table.txid),
    index("notifications_txid").on(table.txid),
    index("notifications_unread")
      .on(table.tenantId, table.recipient)
      .where(
        sql`${table.readAt} IS NULL AND ${table.archivedAt} IS NULL AND ${table.snoozedUntil} IS NULL`,
      ),
    index("notifications_snoozed")
      .on(table.snoozedUntil)
      .where(sql`${table.snoozedUntil} IS NOT NULL`),
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
      "notifications_actor_name_length",
      sql`char_length(${table.actorName}) BETWEEN 1 AND ${sql.raw(String(limits.actorName))}`,
    ),
    check(
      "notifications_actor_avatar_url",
      sql`${table.actorAvatarUrl} IS NULL OR (${table.actorName} IS NOT NULL AND char_length(${table.actorAvatarUrl}) <= ${sql.raw(String(limits.url))} AND ${table.actorAvatarUrl} ~* ${sql.raw(`'${avatarUrlPattern}'`)})`,
    ),
    check(
      "notifications_actions",
      sql`CASE jsonb_typeof(${table.actions}) WHEN 'array' THEN
        jsonb_array_length(${table.actions}) BETWEEN 1 AND ${sql.raw(String(limits.actions))}
        AND octet_length(${table.actions}::text) <= ${sql.raw(String(limits.actionsBytes))}
        AND jsonb_array_length(jsonb_path_query_array(${table.actions}, ${sql.raw(`'$[*] ? (${validAction})'`)})) = jsonb_array_length(${table.actions})
        AND (${table.actions}->0->>'id') IS DISTINCT FROM (${table.actions}->1->>'id')
        ELSE ${table.actions} IS NULL END`,
    ),
    check(
      "notifications_action_taken",
      sql`(${table.actionTaken} IS NULL) = (${table.actionTakenAt} IS NULL)
        AND (${table.actionTaken} IS NULL OR ${table.actions} @> jsonb_build_array(jsonb_build_object('id', ${table.actionTaken})))`,
    ),
    check("notifications_group_key", sql`${table.groupKey} ~ ${sql.raw(`'${groupKeyPattern}'`)}`),
    check(
      "notifications_data_object",
      sql`jsonb_typeof(${table.data}) = 'object' AND octet_length(${table.data}::text) <= ${sql.raw(String(limits.dataBytes))}`,
    ),
  ],
);
