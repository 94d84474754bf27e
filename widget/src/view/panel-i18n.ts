/**
 * The strings only the panel's inside shows, English and Korean, shipped with the lazily
 * loaded module (../inbox-panel.ts) instead of `/widget.js`. A page overrides them as any
 * other, through the element's `strings` (`NotifyStrings` includes these keys).
 */
import { type BellStrings, builtInFor, type NotifyStrings } from "./i18n.ts";

export interface PanelStrings {
  /** The snooze menu's button, and the name of its choices. */
  snooze: string;
  snoozeHour: string;
  /** Tomorrow at 09:00. */
  snoozeTomorrow: string;
  /** Next Monday at 09:00. */
  snoozeNextWeek: string;
  /**
   * A group's people: up to two names, newest first, and how many others ("Ana, Bo and 2
   * others"). The row's title stays the tenant's (its newest member's): only a tenant knows
   * the verb.
   */
  groupActors(names: string[], others: number): string;
  /** The button that shows or hides a group's members (`aria-expanded` says which). */
  groupMembers(count: number): string;
  /** The group's mark-read and archive buttons name it by this ("3 notifications"). */
  groupCount(count: number): string;
  /** The name of the category tabs, and the tab with every category. */
  tabsLabel: string;
  tabAll: string;
  /** The button that shows the preferences instead of the list, and their heading. */
  preferences: string;
  /** A category's two switches: listed and counted; popped up as toasts. */
  prefInInbox: string;
  prefAsToast: string;
  /** Shown when the tenant declared no categories. */
  preferencesEmpty: string;
}

const builtIn = {
  en: {
    snooze: "Snooze",
    snoozeHour: "1 hour",
    snoozeTomorrow: "Tomorrow",
    snoozeNextWeek: "Next week",
    groupActors: (names, others) =>
      others > 0
        ? `${names.join(", ")} and ${others} other${others === 1 ? "" : "s"}`
        : names.join(" and "),
    groupMembers: (count) => `Show all ${count}`,
    groupCount: (count) => `${count} notifications`,
    tabsLabel: "Categories",
    tabAll: "All",
    preferences: "Preferences",
    prefInInbox: "In the inbox",
    prefAsToast: "As pop-ups",
    preferencesEmpty: "There is nothing to set.",
  },
  ko: {
    snooze: "다시 알림",
    snoozeHour: "1시간 후",
    snoozeTomorrow: "내일",
    snoozeNextWeek: "다음 주",
    groupActors: (names, others) =>
      others > 0 ? `${names.join(", ")} 외 ${others}명` : names.join(", "),
    groupMembers: (count) => `${count}개 모두 보기`,
    groupCount: (count) => `알림 ${count}개`,
    tabsLabel: "분류",
    tabAll: "전체",
    preferences: "알림 설정",
    prefInInbox: "알림함에 표시",
    prefAsToast: "팝업으로 표시",
    preferencesEmpty: "설정할 항목이 없습니다.",
  },
} satisfies Record<string, PanelStrings>;

/** The element's strings (the page's overrides in them) over the panel's built-in ones. */
export function panelStrings(lang: string, strings: BellStrings): NotifyStrings {
  return { ...builtInFor(builtIn, lang), ...strings };
}
