import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

/**
 * The last migration of the counter-row design (a per-recipient counter row numbered every
 * change, and every statement sent a NOTIFY). The bench measures it beside the snapshot
 * cursors that replaced it (issue #11), and the peers' servers (`bench/systems`) were written
 * for it: they read `seq` past a cursor and LISTEN on `notify_bell`.
 */
export const COUNTER_ROWS = "0008_batched_stream_reads";

/** Applies the project's migrations to `url`, all of them or up to and including `last`. */
export async function migrateUpTo(url: string, last?: string): Promise<void> {
  let folder = migrationsFolder;
  if (last) {
    folder = mkdtempSync(join(tmpdir(), "notify-bell-migrations-"));
    cpSync(migrationsFolder, folder, { recursive: true });
    const journalPath = join(folder, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8")) as {
      entries: { tag: string }[];
    };
    const end = journal.entries.findIndex((entry) => entry.tag === last);
    if (end < 0) throw new Error(`no migration ${last}`);
    journal.entries = journal.entries.slice(0, end + 1);
    writeFileSync(journalPath, JSON.stringify(journal));
  }
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder: folder });
  } finally {
    await sql.end();
    if (folder !== migrationsFolder) rmSync(folder, { recursive: true, force: true });
  }
}
