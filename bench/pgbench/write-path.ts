import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { startPostgres } from "../../server/test/support/postgres.ts";

/**
 * The tenant's write path measured with `pgbench`, a tool tenants trust: 8 clients insert
 * into `notify.notifications` as a tenant app would, against
 *   - `plain`: the same table (columns, checks, indexes) with no trigger of ours;
 *   - `counter rows (0008)`: the schema as it was before issue #11 (migrations up to 0008);
 *   - `current`: every migration on this branch.
 * Three shapes: one row per transaction; 20 rows per statement for random recipients,
 * sorted; the same unsorted (the order an `INSERT … SELECT` from a join happens to yield).
 *
 *   node --import tsx bench/pgbench/write-path.ts [seconds per run, default 15]
 *
 * Prints a Markdown table of rows/s, each variant's ratio to `plain`, and failed
 * transactions (deadlocks). Postgres is durable (fsync on), as in `npm run bench`.
 */

const seconds = Number(process.argv[2] ?? 15);
const CLIENTS = 8;
const USERS = 1_000;
const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));
/** The last migration of the counter-row design. */
const BEFORE_11 = "0008_batched_stream_reads";

const shapes = {
  "1 row": {
    rows: 1,
    script: `\\set r random(1, ${USERS})
INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('bench', 'u' || :r, 'pgbench');
`,
  },
  "20 rows, sorted": {
    rows: 20,
    script: `INSERT INTO notify.notifications (tenant_id, recipient, title)
SELECT 'bench', r, 'pgbench' FROM (SELECT DISTINCT 'u' || (1 + floor(random() * ${USERS})::int) AS r
FROM generate_series(1, 40) LIMIT 20) AS team ORDER BY r;
`,
  },
  "20 rows, any order": {
    rows: 20,
    script: `INSERT INTO notify.notifications (tenant_id, recipient, title)
SELECT 'bench', r, 'pgbench' FROM (SELECT DISTINCT 'u' || (1 + floor(random() * ${USERS})::int) AS r
FROM generate_series(1, 40) LIMIT 20) AS team ORDER BY random();
`,
  },
} as const;

type Variant = "plain" | "counter rows (0008)" | "current";
const variants: Variant[] = ["plain", "counter rows (0008)", "current"];

/** Migrations up to and including `last` (all of them without). */
function migrationsUpTo(last?: string): { folder: string; cleanup: () => void } {
  if (!last) return { folder: migrationsFolder, cleanup: () => {} };
  const folder = mkdtempSync(join(tmpdir(), "notify-bell-migrations-"));
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as {
    entries: { tag: string }[];
  };
  const end = journal.entries.findIndex((entry) => entry.tag === last);
  journal.entries = journal.entries.slice(0, end + 1);
  writeFileSync(journalPath, JSON.stringify(journal));
  return { folder, cleanup: () => rmSync(folder, { recursive: true, force: true }) };
}

async function prepare(adminUrl: string, variant: Variant): Promise<string> {
  const name = `pgbench_${variant.replace(/\W+/g, "_")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  const { folder, cleanup } = migrationsUpTo(variant === "current" ? undefined : BEFORE_11);
  try {
    await migrate(drizzle(sql), { migrationsFolder: folder });
    await sql`INSERT INTO notify.tenants (id, name, signing_secret, api_key_hash)
              VALUES ('bench', 'Bench', 'pgbench-secret', 'pgbench-key-hash')`;
    if (variant === "plain") {
      // No trigger of ours; `seq` from a sequence, so the unique index on it still holds and
      // the plain table does the same index work.
      await sql`ALTER TABLE notify.notifications DISABLE TRIGGER USER`;
      await sql`CREATE SEQUENCE notify.pgbench_plain_seq`;
      await sql`ALTER TABLE notify.notifications
                ALTER COLUMN seq SET DEFAULT nextval('notify.pgbench_plain_seq')`;
    }
  } finally {
    cleanup();
    await sql.end();
  }
  return url.toString();
}

interface Run {
  rowsPerSecond: number;
  failed: number;
  transactions: number;
}

function pgbench(url: string, script: string, rows: number): Run {
  const dir = mkdtempSync(join(tmpdir(), "notify-bell-pgbench-"));
  const file = join(dir, "write.sql");
  writeFileSync(file, script);
  const { hostname, port, pathname, username, password } = new URL(url);
  try {
    const out = execFileSync(
      "pgbench",
      [
        "-n",
        `-c${CLIENTS}`,
        "-j2",
        `-T${seconds}`,
        "--max-tries=1",
        "--failures-detailed",
        `-h${hostname}`,
        `-p${port}`,
        `-U${username}`,
        `-f${file}`,
        pathname.slice(1),
      ],
      { env: { ...process.env, PGPASSWORD: password }, encoding: "utf8", stdio: "pipe" },
    );
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
    const done = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1] ?? 0);
    const failed = Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0);
    return { rowsPerSecond: tps * rows, failed, transactions: done + failed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pg = await startPostgres({
  durable: true,
  settings: ["max_connections=100", "shared_buffers=256MB"],
});
try {
  const urls = new Map<Variant, string>();
  for (const variant of variants) urls.set(variant, await prepare(pg.url, variant));
  const lines = [
    `pgbench, ${CLIENTS} clients, ${seconds} s per run, ${USERS} recipients, fsync on`,
    "",
    "| shape | variant | rows/s | ÷ plain | failed transactions |",
    "|---|---|---:|---:|---:|",
  ];
  for (const [shape, { script, rows }] of Object.entries(shapes)) {
    const runs = new Map<Variant, Run>();
    for (const variant of variants) {
      const run = pgbench(urls.get(variant) as string, script, rows);
      runs.set(variant, run);
      console.error(`${shape}, ${variant}: ${run.rowsPerSecond.toFixed(0)} rows/s`);
    }
    const plain = runs.get("plain")?.rowsPerSecond ?? Number.NaN;
    for (const [variant, run] of runs) {
      lines.push(
        `| ${shape} | ${variant} | ${run.rowsPerSecond.toFixed(0)} | ${(run.rowsPerSecond / plain).toFixed(2)}× | ${run.failed} of ${run.transactions} |`,
      );
    }
  }
  console.log(lines.join("\n"));
} finally {
  await pg.dispose();
}
