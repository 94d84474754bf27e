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
  },
} satisfies Record<string, PanelStrings>;

/** The element's strings (the page's overrides in them) over the panel's built-in ones. */
export function panelStrings(lang: string, strings: BellStrings): NotifyStrings {
  return { ...builtInFor(builtIn, lang), ...strings };
}
