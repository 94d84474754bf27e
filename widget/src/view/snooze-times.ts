/**
 * When a snoozed notification comes back, for each choice of the snooze menu, in the user's
 * own time zone (the browser's): an hour from now, tomorrow at 09:00, or next week, on
 * Monday at 09:00. The server takes the instant (`until`, at most 90 days ahead).
 */
export type SnoozeChoice = "hour" | "tomorrow" | "nextWeek";

export const SNOOZE_CHOICES: readonly SnoozeChoice[] = ["hour", "tomorrow", "nextWeek"];

export function snoozeUntil(choice: SnoozeChoice, now = new Date()): Date {
  if (choice === "hour") return new Date(now.getTime() + 3_600_000);
  // Monday is 1: the days to the next Monday, 1 to 7 (a Monday goes to the one after).
  const days = choice === "tomorrow" ? 1 : (8 - now.getDay()) % 7 || 7;
  // Date arithmetic on local fields keeps 09:00 across a daylight saving change.
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, 9);
}
