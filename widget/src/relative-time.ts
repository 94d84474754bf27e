/** "3 minutes ago" with `Intl.RelativeTimeFormat`, so every language comes from the browser. */

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

/** Formats `iso` relative to `now`; an unparseable date gives an empty string. */
export function relativeTime(iso: string, lang: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "";
  const seconds = Math.round((then - now) / 1000);
  const abs = Math.abs(seconds);
  for (const [unit, size] of UNITS) {
    if (abs >= size || unit === "second") {
      return formatter(lang).format(Math.round(seconds / size), unit);
    }
  }
  return "";
}
