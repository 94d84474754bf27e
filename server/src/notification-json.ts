import { gt, isNull, or, type SQLWrapper, sql } from "drizzle-orm";
import { notifications } from "./db/schema/index.ts";

/**
 * A notification as clients see it: the JSON in `notification` and `update` events and in
 * inbox lists. Ids are decimal strings (they are Postgres bigints); times are ISO 8601.
 */

/** What every read selects: a Drizzle selection giving `NotificationRow`. */
export const notificationSelection = {
  id: sql<string>`${notifications.id}::text`,
  title: notifications.title,
  body: notifications.body,
  url: notifications.url,
  category: notifications.category,
  data: notifications.data,
  createdAt: notifications.createdAt,
  readAt: notifications.readAt,
  archivedAt: notifications.archivedAt,
  expiresAt: notifications.expiresAt,
};

/** Rows a user can see: not expired (expired rows wait for the retention job to delete them). */
export const notExpired = or(
  isNull(notifications.expiresAt),
  gt(notifications.expiresAt, sql`now()`),
);

/** The user's unread count, less expired unread rows (`notify.unread_count`, migration 0011). */
export const unreadCountOf = (tenantId: SQLWrapper | string, recipient: SQLWrapper | string) =>
  sql<number>`notify.unread_count(${tenantId}, ${recipient})`;

export interface NotificationRow {
  id: string;
  title: string;
  body: string | null;
  url: string | null;
  category: string | null;
  data: unknown;
  createdAt: Date;
  readAt: Date | null;
  archivedAt: Date | null;
  expiresAt: Date | null;
}

export interface NotificationJson {
  id: string;
  title: string;
  body: string | null;
  url: string | null;
  category: string | null;
  data: unknown;
  createdAt: string;
  readAt: string | null;
  archivedAt: string | null;
  expiresAt: string | null;
}

export function toNotificationJson(row: NotificationRow): NotificationJson {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    url: row.url,
    category: row.category,
    data: row.data,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
}
