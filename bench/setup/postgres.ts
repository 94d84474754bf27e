import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { runMigrations } from "../../server/src/db/migrate.ts";
import { startPostgres as startTestPostgres } from "../../server/test/support/postgres.ts";

export const TENANT = "bench";
export const SIGNING_SECRET = "bench-signing-secret-0123456789abcdef";

/** One database with the project's schema and trigger, and the bench tenant in it. */
export interface BenchDatabase {
  url: string;
  name: string;
}

/**
 * How the notifications table is set up, for the write-path cost:
 * - `full`: the project's triggers as shipped (numbering + NOTIFY per statement);
 * - `no-notify`: the numbering trigger only (the NOTIFY trigger disabled);
 * - `plain`: no trigger at all (`seq` from a sequence so the unique index still holds).
 */
export type TableVariant = "full" | "no-notify" | "plain";

export interface BenchPostgres {
  adminUrl: string;
  /** The postmaster's pid (its children are the backends). */
  pid: number;
  createDatabase(variant?: TableVariant): Promise<BenchDatabase>;
  stop(): Promise<void>;
}

/**
 * A Postgres for the whole bench, on loopback, with the durability settings of a real
 * deployment (fsync and synchronous commit on: the commit ceiling is part of what is measured).
 * The tests' embedded Postgres, made durable.
 */
export async function startPostgres(port: number): Promise<BenchPostgres> {
  const pg = await startTestPostgres({
    port,
    durable: true,
    settings: ["max_connections=400", "shared_buffers=256MB"],
  });
  const adminUrl = pg.url;
  const pid = pg.pid();
  let counter = 0;
  const urlOf = (name: string) => {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const admin = async (statement: string) => {
    const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(statement);
    } finally {
      await sql.end();
    }
  };
  // Migrated once; every database is a copy of it (seconds saved per database).
  let template: Promise<string> | undefined;
  const migratedTemplate = () => {
    template ??= (async () => {
      const name = "bench_template";
      await admin(`CREATE DATABASE ${name}`);
      await runMigrations(urlOf(name));
      return name;
    })();
    return template;
  };
  return {
    adminUrl,
    pid,
    async createDatabase(variant = "full") {
      const name = `bench_${counter++}_${randomBytes(3).toString("hex")}`;
      await admin(`CREATE DATABASE ${name} TEMPLATE ${await migratedTemplate()}`);
      const url = new URL(urlOf(name));
      const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
      try {
        await sql`INSERT INTO notify.tenants (id, name, signing_secret, api_key_hash)
                  VALUES (${TENANT}, 'Bench', ${SIGNING_SECRET}, ${randomBytes(16).toString("hex")})`;
        if (variant === "no-notify") {
          await sql`ALTER TABLE notify.notifications DISABLE TRIGGER wake_on_insert`;
        } else if (variant === "plain") {
          await sql`ALTER TABLE notify.notifications DISABLE TRIGGER USER`;
          await sql`CREATE SEQUENCE notify.bench_plain_seq`;
          await sql`ALTER TABLE notify.notifications
                    ALTER COLUMN seq SET DEFAULT nextval('notify.bench_plain_seq')`;
        }
      } finally {
        await sql.end();
      }
      return { url: url.toString(), name };
    },
    // Immediate shutdown (no checkpoint): the folder is deleted right after.
    async stop() {
      try {
        process.kill(pid, "SIGQUIT");
      } catch {}
      await pg.dispose();
    },
  };
}
