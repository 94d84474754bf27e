import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importEmbeddedPostgres } from "../../server/src/db/embedded.ts";

/** A real Postgres in its own temporary folder, on a free port (tests and the bench). */
export interface TestPostgres {
  /** URL of the `postgres` database, for creating per-test databases. */
  url: string;
  port: number;
  /** The postmaster's pid (its children are the backends). */
  pid(): number;
  start(): Promise<void>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface PostgresOptions {
  port?: number;
  /**
   * Keep fsync on, as a real deployment does (the bench measures commit costs). Tests turn
   * it off: they need a real Postgres, not a durable one.
   */
  durable?: boolean;
  /** More `-c name=value` settings. */
  settings?: string[];
}

export async function startPostgres(options: PostgresOptions = {}): Promise<TestPostgres> {
  const root = mkdtempSync(join(tmpdir(), "notify-bell-pg-"));
  // As root, Postgres runs as the `postgres` user, which must be able to reach the folder.
  chmodSync(root, 0o755);
  const port = options.port ?? (await freePort());
  const settings = [
    "listen_addresses=127.0.0.1",
    "max_connections=300",
    ...(options.durable ? [] : ["fsync=off"]),
    ...(options.settings ?? []),
  ];
  const password = "test";
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: join(root, "data"),
    port,
    user: "postgres",
    password,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: settings.flatMap((setting) => ["-c", setting]),
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  let running = true;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    pid: () => Number(readFileSync(join(root, "data", "postmaster.pid"), "utf8").split("\n")[0]),
    async start() {
      if (running) return;
      await pg.start();
      running = true;
    },
    async stop() {
      if (!running) return;
      running = false;
      await pg.stop();
    },
    async dispose() {
      if (running) await pg.stop();
      running = false;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
