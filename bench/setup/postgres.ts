import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { startPostgres as startTestPostgres } from "../../test/support/postgres.ts";
import { COUNTER_ROWS, migrateUpTo } from "./migrations.ts";

export const TENANT = "bench";
export const SIGNING_SECRET = "bench-signing-secret-0123456789abcdef";

/** One database with the project's schema and trigger, and the bench tenant in it. */
export interface BenchDatabase {
  url: string;
  name: string;
}

/**
 * Which schema a database gets, for the write-path cost and for the peers:
 * - `current`: every migration (snapshot cursors);
 * - `counter-rows`: migrations up to 0008, the design before issue #11, which the peers'
 *   servers were written for (see `migrations.ts`);
 * - `… plain`: the same schema with our triggers disabled: the same columns, checks and
 *   indexes, what the tenant's table would cost without us (the counter schema's `seq` from
 *   a sequence, so its unique index still holds).
 */
export type TableVariant = "current" | "current-plain" | "counter-rows" | "counter-rows-plain";

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
  // Migrated once per schema; every database is a copy of it (seconds saved per database).
  const templates = new Map<string, Promise<string>>();
  const migratedTemplate = (design: "current" | "counter-rows") => {
    let template = templates.get(design);
    if (!template) {
      template = (async () => {
        const name = `bench_template_${design.replace("-", "_")}`;
        await admin(`CREATE DATABASE ${name}`);
        await migrateUpTo(urlOf(name), design === "current" ? undefined : COUNTER_ROWS);
        return name;
      })();
      templates.set(design, template);
    }
    return template;
  };
  return {
    adminUrl,
    pid,
    async createDatabase(variant = "current") {
      const name = `bench_${counter++}_${randomBytes(3).toString("hex")}`;
      const design = variant.startsWith("counter-rows") ? "counter-rows" : "current";
      await admin(`CREATE DATABASE ${name} TEMPLATE ${await migratedTemplate(design)}`);
      const url = new URL(urlOf(name));
      const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
      try {
        await sql`INSERT INTO notify.tenants (id, name, signing_secret, api_key_hash)
                  VALUES (${TENANT}, 'Bench', ${SIGNING_SECRET}, ${randomBytes(16).toString("hex")})`;
        if (variant.endsWith("-plain")) {
          await sql`ALTER TABLE notify.notifications DISABLE TRIGGER USER`;
          if (design === "counter-rows") {
            await sql`CREATE SEQUENCE notify.bench_plain_seq`;
            await sql`ALTER TABLE notify.notifications
                      ALTER COLUMN seq SET DEFAULT nextval('notify.bench_plain_seq')`;
          }
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
