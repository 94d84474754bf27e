import { sql } from "drizzle-orm";
import type { Database } from "./client.ts";

export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
type TransactionConfig = Parameters<Database["transaction"]>[1];

/**
 * Runs `work` in a transaction scoped to one tenant: row-level security (migration 0006)
 * lets the request role see and write only that tenant's rows, whatever the queries say.
 */
export function withTenant<T>(
  db: Database,
  tenantId: string,
  work: (tx: Transaction) => Promise<T>,
  config?: TransactionConfig,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('notify.tenant', ${tenantId}, true)`);
    return work(tx);
  }, config);
}
