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

/** How a request pool's connections are set up (see `createDatabase`). */
export interface RequestPoolSettings {
  role: string;
  /** Postgres `statement_timeout`: no query made for a request runs longer. */
  statementTimeoutMs: number;
  /** Postgres `lock_timeout`: no query made for a request waits longer for a lock. */
  lockTimeoutMs: number;
}

/**
 * A connection pool. With `request` settings, every connection switches to that role at
 * startup, so its queries are subject to row-level security, and gets timeouts, so that a
 * lock held by some tenant's open transaction cannot keep a connection (and, a dozen
 * requests later, the whole pool) waiting: this is the request pool (`APP_ROLE`), whose
 * queries run through `withTenant`. Without, it is the owner's pool, kept for migrations and
 * the documented cross-tenant jobs. The LISTEN connection is separate (`realtime/listener.ts`).
 */
export function createDatabase(url: string, poolSize: number, request?: RequestPoolSettings) {
  const options = request
    ? [
        `-c role=${request.role}`,
        `-c statement_timeout=${request.statementTimeoutMs}`,
        `-c lock_timeout=${request.lockTimeoutMs}`,
      ].join(" ")
    : undefined;
  const sql = postgres(url, {
    max: poolSize,
    backoff: reconnectDelaySeconds,
    onnotice: () => {},
    connection: {
      application_name: "notify-bell",
      ...(options ? { options } : {}),
    },
  });
  return { sql, db: drizzle(sql, { schema }) };
}
