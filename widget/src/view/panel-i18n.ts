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
}

const builtIn = {
  en: {
    snooze: "Snooze",
    snoozeHour: "1 hour",
    snoozeTomorrow: "Tomorrow",
    snoozeNextWeek: "Next week",
  },
  ko: {
    snooze: "다시 알림",
    snoozeHour: "1시간 후",
    snoozeTomorrow: "내일",
    snoozeNextWeek: "다음 주",
  },
} satisfies Record<string, PanelStrings>;

/** The element's strings (the page's overrides in them) over the panel's built-in ones. */
export function panelStrings(lang: string, strings: BellStrings): NotifyStrings {
  return { ...builtInFor(builtIn, lang), ...strings };
}
