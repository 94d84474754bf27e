import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema/index.ts";

export type Sql = postgres.Sql;
export type Database = ReturnType<typeof createDatabase>["db"];

/**
 * Seconds to wait before reconnecting after `retries` failed attempts. postgres.js's default
 * grows as 3^n up to 20 s, so after a few seconds of database outage the pool would idle for
 * up to 20 s once the database is back; capped at 2 s here.
 */
export function reconnectDelaySeconds(retries: number): number {
  return Math.min(0.05 * 2 ** retries, 2);
}

/**
 * The request pool. Served requests and the stream's catch-up reads go through it; the
 * LISTEN connection is separate (`realtime/listener.ts`).
 */
export function createDatabase(url: string, poolSize: number) {
  const sql = postgres(url, {
    max: poolSize,
    backoff: reconnectDelaySeconds,
    onnotice: () => {},
    connection: { application_name: "notify-bell" },
  });
  return { sql, db: drizzle(sql, { schema }) };
}
