import type { Sql } from "../db/client.ts";
import { IDEMPOTENCY_WINDOW } from "../db/schema/index.ts";
import { errorFields, type Logger } from "../log.ts";
import { PeriodicJob } from "./periodic-job.ts";

/** Rows deleted per transaction: small, so a batch holds row locks only briefly. */
const BATCH = 500;

/**
 * Deletes what should no longer exist: notifications past their `expires_at`, those older
 * than their tenant's `retention_days`, and idempotency keys older than their window. Every batch is its own short transaction and
 * skips rows another transaction holds, so inserts never wait long and several instances
 * can run it at once. Each deleted row leaves a tombstone, so open streams get a `delete`
 * event with the new unread count.
 */
export class RetentionJob extends PeriodicJob {
  constructor(
    private readonly sql: Sql,
    private readonly log: Logger,
    intervalMs: number,
  ) {
    super(intervalMs);
  }

  protected async pass(): Promise<number> {
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
      const keys = await this.dropOldIdempotencyKeys();
      if (keys > 0) this.log.info("retention deleted idempotency keys", { deleted: keys });
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

  private async dropOldIdempotencyKeys(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.sql`
        WITH doomed AS (
          SELECT tenant_id, key FROM notify.idempotency_keys
          WHERE created_at < now() - ${IDEMPOTENCY_WINDOW}::interval
          LIMIT ${BATCH}
          FOR UPDATE SKIP LOCKED
        )
        DELETE FROM notify.idempotency_keys k USING doomed
        WHERE k.tenant_id = doomed.tenant_id AND k.key = doomed.key
        RETURNING 1`;
      total += rows.length;
      if (rows.length < BATCH) return total;
    }
  }
}
