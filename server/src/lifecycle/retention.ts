import type { Sql } from "../db/client.ts";
import { errorFields, type Logger } from "../log.ts";

/** Rows deleted per transaction: small, so a batch holds row locks only briefly. */
const BATCH = 500;

/**
 * Deletes what should no longer exist: notifications past their `expires_at`, and those
 * older than their tenant's `retention_days`. Every batch is its own short transaction and
 * skips rows another transaction holds, so inserts never wait long and several instances
 * can run it at once. Each deleted row leaves a tombstone, so open streams get a `delete`
 * event with the new unread count.
 */
export class RetentionJob {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly log: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.runOnce(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One full pass; concurrent calls share it. Resolves to the number of rows deleted. */
  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<number> {
    let deleted = 0;
    try {
      deleted += await this.drain(this.sql`expires_at <= now()`);
      const tenants = await this.sql<{ id: string; days: number }[]>`
        SELECT id, retention_days AS days FROM notify.tenants WHERE retention_days IS NOT NULL`;
      for (const { id, days } of tenants) {
        deleted += await this.drain(
          this.sql`tenant_id = ${id} AND created_at < now() - make_interval(days => ${days})`,
        );
      }
      if (deleted > 0) this.log.info("retention deleted notifications", { deleted });
    } catch (error) {
      this.log.warn("retention pass failed; next pass retries", errorFields(error));
    }
    return deleted;
  }

  private async drain(condition: ReturnType<Sql>): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.sql`
        WITH doomed AS (
          SELECT id FROM notify.notifications WHERE ${condition}
          ORDER BY tenant_id, recipient
          LIMIT ${BATCH}
          FOR UPDATE SKIP LOCKED
        )
        DELETE FROM notify.notifications n USING doomed WHERE n.id = doomed.id
        RETURNING 1`;
      total += rows.length;
      if (rows.length < BATCH) return total;
    }
  }
}
