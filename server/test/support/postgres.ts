import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importEmbeddedPostgres } from "../../src/db/embedded.ts";

/** A real Postgres for tests, in its own temporary folder, on a free port. */
export interface TestPostgres {
  /** URL of the `postgres` database, for creating per-test databases. */
  url: string;
  port: number;
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

export async function startPostgres(): Promise<TestPostgres> {
  const root = mkdtempSync(join(tmpdir(), "notify-bell-pg-"));
  // As root, Postgres runs as the `postgres` user, which must be able to reach the folder.
  chmodSync(root, 0o755);
  const port = await freePort();
  const password = "test";
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: join(root, "data"),
    port,
    user: "postgres",
    password,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "max_connections=300",
      "-c",
      "fsync=off",
    ],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  let running = true;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
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
