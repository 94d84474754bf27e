import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { startPostgres } from "../../test/support/postgres.ts";
import { COUNTER_ROWS, migrateUpTo } from "../setup/migrations.ts";

/**
 * The tenant's write path measured with `pgbench`, a tool tenants trust: 8 clients insert
 * into `notify.notifications` as a tenant app would. Two schemas, each against itself with
 * our triggers disabled (the same columns, checks and indexes: the "plain" table):
 *   - `counter rows (0008)`: the design before issue #11 (migrations up to 0008);
 *   - `snapshot cursors`: every migration on this branch.
 * Three shapes: one row per transaction; 20 rows per statement for random recipients,
 * sorted; the same unsorted (the order an `INSERT … SELECT` from a join happens to yield).
 *
 *   node --import tsx bench/pgbench/write-path.ts [seconds per run, default 15]
 *
 * Prints a Markdown table of rows/s, each design's ratio to its plain table, and failed
 * transactions (deadlocks). Postgres is durable (fsync on), as in `npm run bench`.
 */

const seconds = Number(process.argv[2] ?? 15);
const CLIENTS = 8;
const USERS = 1_000;

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

type Design = "counter rows (0008)" | "snapshot cursors";
const designs: Design[] = ["counter rows (0008)", "snapshot cursors"];
type Variant = `${Design}${"" | ", plain"}`;

async function prepare(adminUrl: string, design: Design, plain: boolean): Promise<string> {
  const name = `pgbench_${design.replace(/\W+/g, "_")}${plain ? "_plain" : ""}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrateUpTo(url.toString(), design === "snapshot cursors" ? undefined : COUNTER_ROWS);
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql`INSERT INTO notify.tenants (id, name, signing_secret, api_key_hash)
              VALUES ('bench', 'Bench', 'pgbench-secret', 'pgbench-key-hash')`;
    if (plain) {
      await sql`ALTER TABLE notify.notifications DISABLE TRIGGER USER`;
      if (design === "counter rows (0008)") {
        // `seq` from a sequence, so its unique index still holds and does the same work.
        await sql`CREATE SEQUENCE notify.pgbench_plain_seq`;
        await sql`ALTER TABLE notify.notifications
                  ALTER COLUMN seq SET DEFAULT nextval('notify.pgbench_plain_seq')`;
      }
    }
  } finally {
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
  for (const design of designs) {
    urls.set(design, await prepare(pg.url, design, false));
    urls.set(`${design}, plain`, await prepare(pg.url, design, true));
  }
  const lines = [
    `pgbench, ${CLIENTS} clients, ${seconds} s per run, ${USERS} recipients, fsync on`,
    "",
    "| shape | design | rows/s (plain table) | rows/s (with triggers) | ÷ plain | failed transactions |",
    "|---|---|---:|---:|---:|---:|",
  ];
  for (const [shape, { script, rows }] of Object.entries(shapes)) {
    for (const design of designs) {
      // Plain and with triggers back to back, so both see the same machine.
      const plain = pgbench(urls.get(`${design}, plain`) as string, script, rows);
      const run = pgbench(urls.get(design) as string, script, rows);
      console.error(
        `${shape}, ${design}: ${run.rowsPerSecond.toFixed(0)} rows/s, plain ${plain.rowsPerSecond.toFixed(0)}`,
      );
      lines.push(
        `| ${shape} | ${design} | ${plain.rowsPerSecond.toFixed(0)} | ${run.rowsPerSecond.toFixed(0)} | ${(run.rowsPerSecond / plain.rowsPerSecond).toFixed(2)}× | ${run.failed} of ${run.transactions} |`,
      );
    }
  }
  console.log(lines.join("\n"));
} finally {
  await pg.dispose();
}
