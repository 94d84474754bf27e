import type { Sql } from "../db/client.ts";

/**
 * rate-limiter-flexible's RateLimiterPostgres speaks node-postgres (`query({ text, values })`
 * answering `{ rows, rowCount }`); this gives it that over a postgres.js pool, so the limiter
 * needs no second driver. Pass it as `storeClient` with `storeType: "client"`.
 */
export function postgresRateStore(sql: Sql) {
  return {
    async query({ text, values = [] }: { text: string; values?: unknown[] }) {
      const rows = await sql.unsafe(text, values as never[]);
      return { rows, rowCount: rows.length };
    },
  };
}
