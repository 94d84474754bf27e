/**
 * Every string the widget shows or announces. English and Korean are built in; a page
 * overrides any of them through the element's `strings` property. Strings only the panel's
 * inside shows are built in with it (panel-i18n.ts), not here in `/widget.js`.
 */
import type { PanelStrings } from "./panel-i18n.ts";

export interface NotifyStrings extends BellStrings, PanelStrings {}

/** The strings `/widget.js` carries; with a page's overrides, any key of `NotifyStrings`. */
export interface BellStrings {
  /**
   * Accessible name of the bell; must include the count so screen readers hear it. `unseen`:
   * the count is of new (unseen) notifications, not of unread ones (the `badge` attribute).
   */
  bellLabel(count: number, unseen?: boolean): string;
  panelTitle: string;
  filterUnread: string;
  filterAll: string;
  filterArchived: string;
  filtersLabel: string;
  markAllRead: string;
  markRead: string;
  markUnread: string;
  archive: string;
  close: string;
  dismiss: string;
  unreadMarker: string;
  /** Read before the label of the action the user took. */
  actionDone: string;
  empty: string;
  emptyArchived: string;
  loading: string;
  loadingMore: string;
  offline: string;
  /** The token was refused and nothing can renew it. */
  sessionExpired: string;
  /** A mark read / archive the server did not take; the list is as it was. */
  actionFailed: string;
  error: string;
  retry: string;
  /** Read by the polite live region when a notification arrives. */
  announce(title: string): string;
}

const en: BellStrings = {
  bellLabel: (n, unseen) =>
    n === 0 ? "Notifications" : `Notifications, ${n} ${unseen ? "new" : "unread"}`,
  panelTitle: "Notifications",
  filterUnread: "Unread",
  filterAll: "All",
  filterArchived: "Archived",
  filtersLabel: "Show",
  markAllRead: "Mark all as read",
  markRead: "Mark as read",
  markUnread: "Mark as unread",
  archive: "Archive",
  close: "Close",
  dismiss: "Dismiss",
  unreadMarker: "Unread",
  actionDone: "Done:",
  empty: "You're all caught up.",
  emptyArchived: "Nothing archived.",
  loading: "Loading…",
  loadingMore: "Loading more…",
  offline: "Offline. Reconnecting…",
  sessionExpired: "Session expired. Sign in again to see new notifications.",
  actionFailed: "That change could not be saved. Try again.",
  error: "Notifications could not be loaded.",
  retry: "Try again",
  announce: (title) => `New notification: ${title}`,
};

const ko: BellStrings = {
  // The count as a word of its own ("3", not "3개"): the name must contain the badge's text,
  // for voice control ("click 3") and axe's label-content-name-mismatch.
  bellLabel: (n, unseen) => (n === 0 ? "알림" : `알림, ${unseen ? "새 알림" : "읽지 않음"} ${n}`),
  panelTitle: "알림",
  filterUnread: "읽지 않음",
  filterAll: "전체",
  filterArchived: "보관됨",
  filtersLabel: "보기",
  markAllRead: "모두 읽음으로 표시",
  markRead: "읽음으로 표시",
  markUnread: "읽지 않음으로 표시",
  archive: "보관",
  close: "닫기",
  dismiss: "닫기",
  unreadMarker: "읽지 않음",
  actionDone: "완료:",
  empty: "새 알림이 없습니다.",
  emptyArchived: "보관된 알림이 없습니다.",
  loading: "불러오는 중…",
  loadingMore: "더 불러오는 중…",
  offline: "오프라인입니다. 다시 연결하는 중…",
  sessionExpired: "세션이 만료되었습니다. 새 알림을 보려면 다시 로그인하세요.",
  actionFailed: "변경 사항을 저장하지 못했습니다. 다시 시도하세요.",
  error: "알림을 불러오지 못했습니다.",
  retry: "다시 시도",
  announce: (title) => `새 알림: ${title}`,
};

/** Picks the built-in language from a BCP 47 tag (`ko-KR` → Korean), English otherwise. */
export function builtInFor<T>(table: Record<string, T> & { en: T }, lang: string): T {
  return table[lang.toLowerCase().split("-")[0] ?? ""] ?? table.en;
}

export function stringsFor(lang: string, overrides?: Partial<NotifyStrings>): BellStrings {
  const base = builtInFor({ en, ko }, lang);
  return overrides ? { ...base, ...overrides } : base;
}

/** The badge text: the count, or `99+` past 99. */
export function badgeText(unread: number): string {
  return unread > 99 ? "99+" : String(unread);
}
