// The server's schema is the one definition of the wire shape; only its type comes here.
import type { NotificationJson, TotalCountsJson } from "../../server/src/notification-json.ts";

/** The totals of the counts every answer carries (it carries `categoryCounts` too). */
export type CountsJson = TotalCountsJson;

/** A notification as the server sends it, in lists and in `notification` / `update` events. */
export type NotifyItem = NotificationJson;

/** One of a notification's buttons. */
export type NotifyAction = NonNullable<NotifyItem["actions"]>[number];

/** Every stream event carries the user's unread and unseen counts after the change. */
export type NotifyEventData = NotifyItem & CountsJson;

export type InboxFilter = "unread" | "all" | "archived";

export interface InboxPage extends CountsJson {
  items: NotifyItem[];
  nextCursor: string | null;
}

/** What the live connection hands to the element, already parsed. */
export type LiveEvent =
  | { type: "notification" | "update"; id: string; item: NotifyEventData }
  | ({ type: "delete"; id: string; itemId: string } & CountsJson)
  | { type: "reset"; id: string; unreadCount: number | null; unseenCount: number | null };

/** `offline` covers both "browser offline" and "server unreachable, retrying". */
export type LiveStatus = "connecting" | "open" | "offline";
