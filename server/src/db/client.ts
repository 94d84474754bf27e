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

/** The role requests run as: owns nothing, lacks BYPASSRLS (migration 0006). */
export const APP_ROLE = "notify_app";

/**
 * A connection pool. With `role`, every connection switches to that role at startup, so its
 * queries are subject to row-level security: this is the request pool (`APP_ROLE`), whose
 * queries run through `withTenant`. Without, it is the owner's pool, kept for migrations and
 * the documented cross-tenant jobs. The LISTEN connection is separate (`realtime/listener.ts`).
 */
export function createDatabase(url: string, poolSize: number, role?: string) {
  const sql = postgres(url, {
    max: poolSize,
    backoff: reconnectDelaySeconds,
    onnotice: () => {},
    connection: {
      application_name: "notify-bell",
      ...(role ? { options: `-c role=${role}` } : {}),
    },
  });
  return { sql, db: drizzle(sql, { schema }) };
}
