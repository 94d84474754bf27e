import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema/index.ts";

export type Sql = postgres.Sql;
export type Database = ReturnType<typeof createDatabase>["db"];

/**
 * The request pool. Served requests and the stream's catch-up reads go through it; the
 * LISTEN connection is separate (`realtime/listener.ts`).
 */
export function createDatabase(url: string, poolSize: number) {
  const sql = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    connection: { application_name: "notify-bell" },
  });
  return { sql, db: drizzle(sql, { schema }) };
}
