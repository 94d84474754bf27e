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
};

/** Rows a user can see: not expired (expired rows wait for the retention job to delete them). */
export const notExpired = or(
  isNull(notifications.expiresAt),
  gt(notifications.expiresAt, sql`now()`),
);

/**
 * The user's unread and unseen counts, less expired rows (`notify.unread_count`, migration
 * 0013, and `notify.unseen_count`, 0018), as `CountsJson`.
 */
export const countsOf = (tenantId: string, recipient: string) =>
  sql`notify.unread_count(${tenantId}, ${recipient}) AS "unreadCount",
    notify.unseen_count(${tenantId}, ${recipient}) AS "unseenCount"`;
