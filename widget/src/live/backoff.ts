/**
 * Reconnect delays. A clean end of the stream waits the server's `retry`; each failure in a
 * row doubles the wait up to a cap, with "equal jitter" (half fixed, half random) so a
 * server restart is not met by every browser at the same instant.
 */
export const MAX_BACKOFF_MS = 30_000;
/** A server that sends `retry: 0` still must not be hammered after a failure. */
const MIN_FAILURE_DELAY_MS = 500;

export function backoffDelay(
  failures: number,
  retryMs: number,
  random: () => number = Math.random,
): number {
  if (failures <= 0) return retryMs;
  const base = Math.max(retryMs, MIN_FAILURE_DELAY_MS);
  const ceiling = Math.min(MAX_BACKOFF_MS, base * 2 ** (failures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
