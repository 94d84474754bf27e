// The server's schema is the one definition of the wire shape; only its type comes here.
import type { NotificationJson } from "../../server/src/notification-json.ts";

/** A notification as the server sends it, in lists and in `notification` / `update` events. */
export type NotifyItem = NotificationJson;

/** Every stream event carries the user's unread count after the change. */
export interface NotifyEventData extends NotifyItem {
  unreadCount: number;
}

export type InboxFilter = "unread" | "all" | "archived";

export interface InboxPage {
  items: NotifyItem[];
  nextCursor: string | null;
  unreadCount: number;
}

/** What the live connection hands to the element, already parsed. */
export type LiveEvent =
  | { type: "notification" | "update"; id: string; item: NotifyEventData }
  | { type: "delete"; id: string; itemId: string; unreadCount: number }
  | { type: "reset"; id: string; unreadCount: number | null };

/** `offline` covers both "browser offline" and "server unreachable, retrying". */
export type LiveStatus = "connecting" | "open" | "offline";
