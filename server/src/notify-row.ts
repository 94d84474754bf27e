import { gt, isNull, or, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { notifications } from "./db/schema/index.ts";
import type { NotificationJson } from "./notification-json.ts";

/**
 * How reads turn `notify.notifications` rows into `NotificationJson` (notification-json.ts)
 * in SQL, so no value is converted again in JavaScript.
 */

/**
 * A timestamp as the wire carries it: ISO 8601, UTC, milliseconds (what `toISOString` gives),
 * as the format of `to_char(time AT TIME ZONE 'UTC', …)`.
 */
export const ISO_TIME_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';

export const isoTime = <T extends string | null = string>(column: SQLWrapper | SQL) =>
  sql<T>`to_char(${column} AT TIME ZONE 'UTC', ${ISO_TIME_FORMAT})`;

/** What every Drizzle read selects: exactly `NotificationJson`. */
export const notificationSelection = {
  id: sql<string>`${notifications.id}::text`,
  title: notifications.title,
  body: notifications.body,
  url: notifications.url,
  category: notifications.category,
  data: notifications.data,
  createdAt: isoTime(notifications.createdAt),
  readAt: isoTime<string | null>(notifications.readAt),
  archivedAt: isoTime<string | null>(notifications.archivedAt),
  expiresAt: isoTime<string | null>(notifications.expiresAt),
  seenAt: isoTime<string | null>(notifications.seenAt),
  actor: sql<NotificationJson["actor"]>`CASE WHEN ${notifications.actorName} IS NOT NULL THEN
    jsonb_build_object('name', ${notifications.actorName}, 'avatarUrl', ${notifications.actorAvatarUrl}) END`,
  actions: sql<NotificationJson["actions"]>`${notifications.actions}`,
  actionTaken: notifications.actionTaken,
  actionTakenAt: isoTime<string | null>(notifications.actionTakenAt),
  snoozedUntil: isoTime<string | null>(notifications.snoozedUntil),
  groupKey: notifications.groupKey,
};

/** Rows a user can see: not expired (expired rows wait for the retention job to delete them). */
export const notExpired = or(
  isNull(notifications.expiresAt),
  gt(notifications.expiresAt, sql`now()`),
);

/**
 * Rows not in a category the user muted: `in_inbox` off for a mutable category, as every
 * count and stream read tests it (migration 0022). Muted rows are in no list.
 */
export const notMuted = (tenantId: string, recipient: string) =>
  sql`NOT EXISTS (SELECT 1 FROM notify.preferences p JOIN notify.categories c
    ON c.tenant_id = p.tenant_id AND c.key = p.category
    WHERE p.tenant_id = ${tenantId} AND p.recipient = ${recipient}
      AND p.category = ${notifications.category} AND NOT p.in_inbox AND c.mutable)`;

/**
 * A query for the user's counts, as `CountsJson`: `notify.user_counts` (migration 0022), one
 * scan, totals and per category, less expired, snoozed and muted rows, a group of unread items
 * counting once; the same function the stream reads call.
 */
export const countsOf = (tenantId: string, recipient: string) =>
  sql`SELECT unread AS "unreadCount", unseen AS "unseenCount", categories AS "categoryCounts"
    FROM notify.user_counts(${tenantId}, ${recipient})`;
