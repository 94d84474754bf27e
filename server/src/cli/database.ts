import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Config } from "../config.ts";
import { createDatabase, type Database, type Sql } from "../db/client.ts";
import { EmbeddedDatabase } from "../db/embedded.ts";
import { runMigrations } from "../db/migrate.ts";
import type { Logger } from "../log.ts";

/**
 * Runs `work` on the server's database, migrated. The embedded Postgres may already be
 * running under a live server: then it is used as is, because starting it here would stop
 * the server's (see `EmbeddedDatabase`, which restarts a running postmaster it finds).
 * Otherwise it is started for this command and stopped after.
 */
export async function withDatabase(
  config: Config,
  log: Logger,
  work: (sql: Sql, db: Database) => Promise<void>,
) {
  const embedded = config.databaseUrl
    ? undefined
    : new EmbeddedDatabase(config.dataDir, config.embeddedPgPort, log);
  const ownsEmbedded = embedded !== undefined && !postmasterIsRunning(config.dataDir);
  if (ownsEmbedded) await embedded.start();
  try {
    const url = config.databaseUrl ?? (embedded as EmbeddedDatabase).ownerUrl;
    await runMigrations(url);
    const { sql, db } = createDatabase(url, 1);
    try {
      await work(sql, db);
    } finally {
      await sql.end({ timeout: 5 });
    }
  } finally {
    if (ownsEmbedded) await embedded.stop();
  }
}

/** Whether `postmaster.pid` in the embedded data folder names a live postgres process. */
function postmasterIsRunning(dataDir: string): boolean {
  const pidFile = resolve(dataDir, "postgres", "postmaster.pid");
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // Make sure the pid was not reused by another program, where /proc can tell.
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("postgres");
  } catch {
    return !existsSync("/proc/self");
  }
}
