import type { Sql } from "../db/client.ts";
import { errorFields, type Logger } from "../log.ts";
import { PeriodicJob } from "./periodic-job.ts";

/** Rows brought back per transaction: small, so a batch holds row locks only briefly. */
const BATCH = 500;

/**
 * Brings snoozed notifications back when their time comes (`notify.wake_snoozed`, migration
 * 0019): the row becomes unread, unseen and new, so every open stream of its user gets a
 * `notification` event with the new counts. Every instance runs it; a row locked by another
 * instance's pass is skipped, and one brought back no longer matches, so each comes back once.
 * A snooze ends within `intervalMs` of its time.
 */
export class SnoozeWakeJob extends PeriodicJob {
  constructor(
    private readonly sql: Sql,
    private readonly log: Logger,
    intervalMs: number,
  ) {
    super(intervalMs);
  }

  protected async pass(): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const [row] = await this.sql<{ woken: number }[]>`
          SELECT notify.wake_snoozed(${BATCH}) AS woken`;
        const woken = row?.woken ?? 0;
        total += woken;
        if (woken < BATCH) break;
      }
    } catch (error) {
      this.log.warn("snooze pass failed; next pass retries", errorFields(error));
    }
    return total;
  }
}
