/**
 * `read`, or a rejection once `ms` have passed without an answer.
 *
 * Why: postgres.js (3.4.9, on Bun) can leave a query pending for good when Postgres shuts
 * down under it (seen: a few of ~1,000 queries in flight across a fast shutdown and restart
 * were still pending minutes later, with the database back). A stream whose read never
 * settles stays "reading": it folds every later wake-up into that read and delivers nothing
 * more, while its heartbeats keep the client from reconnecting. A read that fails instead
 * ends the stream with `database_unavailable` (retry), and the client resumes from its cursor.
 * The abandoned query is left to the driver; nothing waits for it.
 */
export function withDeadline<T>(read: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from Postgres in ${ms} ms`)), ms);
  });
  return Promise.race([read, deadline]).finally(() => clearTimeout(timer));
}
