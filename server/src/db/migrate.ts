import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

const migrationsFolder = fileURLToPath(new URL("../../../drizzle", import.meta.url));

/** Any 64-bit number unique to this purpose: serialises migrations across instances. */
const MIGRATION_LOCK = 7_316_402_118;

/**
 * Applies drizzle-kit's migrations. Safe to run at every start and from several instances at
 * once: applied migrations are skipped, and an advisory lock lets one instance at a time in.
 */
export async function runMigrations(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(drizzle(sql), { migrationsFolder });
    await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
