import { sql } from "drizzle-orm";
import type { Database } from "./client.ts";
import type { TenantGate } from "./tenant-gate.ts";

export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
type TransactionConfig = Parameters<Database["transaction"]>[1];

/** The request pool's gate, when one is set (`shareTenants`). */
const gates = new WeakMap<Database, TenantGate>();

/**
 * Makes every `withTenant` on `db` pass through `gate`, so that no tenant holds more than
 * its share of the request pool. Called once, where the request pool is made (main.ts).
 */
export function shareTenants(db: Database, gate: TenantGate): void {
  gates.set(db, gate);
}

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
  const transaction = () =>
    db.transaction(async (tx) => {
      await tx.execute(sql`SELECT set_config('notify.tenant', ${tenantId}, true)`);
      return work(tx);
    }, config);
  const gate = gates.get(db);
  return gate ? gate.run(tenantId, transaction) : transaction();
}
