// The server's schema is the one definition of the wire shape; only its type comes here.
import type {
  CategoryCountJson,
  CategoryJson,
  NotificationJson,
  PreferenceJson,
  TotalCountsJson,
} from "../../server/src/notification-json.ts";

export type { CategoryCountJson, CategoryJson, PreferenceJson };

/**
 * The counts every answer and event carries: the totals, and `categoryCounts` (optional here
 * only so a count can be taken from anything that has the totals).
 */
export type CountsJson = TotalCountsJson & { categoryCounts?: CategoryCountJson[] };

/** A notification as the server sends it, in lists and in `notification` / `update` events. */
export type NotifyItem = NotificationJson;

/** One of a notification's buttons. */
export type NotifyAction = NonNullable<NotifyItem["actions"]>[number];

/**
 * Every stream event carries the user's counts after the change; `toast` is false when the
 * user turned toasts off for the notification's category.
 */
export type NotifyEventData = NotifyItem & CountsJson & { toast?: boolean };

export type InboxFilter = "unread" | "all" | "archived";

export interface InboxPage extends CountsJson {
  items: NotifyItem[];
  nextCursor: string | null;
}

/** What the live connection hands to the element, already parsed. */
export type LiveEvent =
  | { type: "notification" | "update"; id: string; item: NotifyEventData }
  | ({ type: "delete"; id: string; itemId: string } & CountsJson)
  | ({ type: "preferences"; id: string; preferences: PreferenceJson[] } & CountsJson)
  | { type: "reset"; id: string; unreadCount: number | null; unseenCount: number | null };

/** `offline` covers both "browser offline" and "server unreachable, retrying". */
export type LiveStatus = "connecting" | "open" | "offline";
