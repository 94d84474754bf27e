import { type Static, t } from "elysia";

/**
 * A notification as clients see it: the JSON of inbox lists and of stream events. This schema
 * is its one definition: the inbox API validates and documents its responses with it, the
 * stream writes it, and the widget imports its type (type only, so no server code reaches the
 * browser bundle). Ids are decimal strings (they are Postgres bigints); times are ISO 8601 in
 * UTC with milliseconds, formatted by Postgres (`notify-row.ts`), never converted in between.
 */
export const notificationJson = t.Object({
  id: t.String(),
  title: t.String(),
  body: t.Nullable(t.String()),
  url: t.Nullable(t.String()),
  category: t.Nullable(t.String()),
  data: t.Unknown(),
  createdAt: t.String(),
  readAt: t.Nullable(t.String()),
  archivedAt: t.Nullable(t.String()),
  /** After this the notification is gone from lists, counts and streams. */
  expiresAt: t.Nullable(t.String()),
});

export type NotificationJson = Static<typeof notificationJson>;

/** `notification` and `update` events: the notification, and the user's unread count. */
export type NotificationEventJson = NotificationJson & { unreadCount: number };

/** `delete` events: which notification went, and the user's unread count. */
export interface DeleteEventJson {
  id: string;
  unreadCount: number;
}
