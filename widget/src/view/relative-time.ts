/**
 * How a notification's time reads: "3 minutes ago" with `Intl.RelativeTimeFormat`, so every
 * language comes from the browser, and the full date for its tooltip. Neither ever throws
 * into render: the tag is resolved by `resolveLocale` first, and anything `Intl` still
 * refuses gives an empty string.
 */

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

const formatters = new Map<string, Intl.RelativeTimeFormat>();

function formatter(lang: string): Intl.RelativeTimeFormat {
  let f = formatters.get(lang);
  if (!f) {
    f = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
    formatters.set(lang, f);
  }
  return f;
}

/** Formats `iso` relative to `now`; an unparseable date or a refused language gives "". */
export function relativeTime(iso: string, lang: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "";
  const seconds = Math.round((then - now) / 1000);
  const abs = Math.abs(seconds);
  const [unit, size] = UNITS.find(([, size]) => abs >= size) ?? ["second", 1];
  try {
    return formatter(lang).format(Math.round(seconds / size), unit);
  } catch {
    return "";
  }
}

/** The date and time in full; "" when the date or the language is unusable. */
export function absoluteTime(iso: string, lang: string): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "";
  try {
    return new Date(then).toLocaleString(lang);
  } catch {
    return "";
  }
}
