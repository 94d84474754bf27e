/**
 * Elects one tab per name with the Web Locks API. The lock is held for as long as `lead`
 * runs, and the browser releases it the moment the tab closes or crashes, so a waiting tab
 * takes over at once. Without Web Locks every tab leads its own connection.
 */

/** Runs `lead` once this tab holds the lock; `lead` must return when `signal` aborts. */
export function whenLeader(
  name: string,
  signal: AbortSignal,
  lead: (signal: AbortSignal) => Promise<void>,
): void {
  const locks = globalThis.navigator?.locks;
  if (!locks) {
    void lead(signal);
    return;
  }
  locks
    .request(name, { signal }, () => lead(signal))
    .catch((err: unknown) => {
      // Aborting a request still waiting for the lock rejects it: that is the normal close.
      if (!signal.aborted) throw err;
    });
}

/** A promise that settles when `signal` aborts: what a leader awaits to keep its lock. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
