import { inject } from "vitest";
import { connect, createDatabase } from "../../test/support/database.ts";
import { freePort } from "../../test/support/postgres.ts";
import {
  NPM_START_ENTRY,
  type ServerProcess,
  startServer,
} from "../../test/support/server-process.ts";

export interface DemoServer {
  /** The server's own origin, where the demo is served at `/`. */
  url: string;
  /** The demo's second origin. */
  secondUrl: string;
  /** A tenant app's own connection to the database. */
  sql: ReturnType<typeof connect>;
  process: ServerProcess;
  /** Open streams, as `/healthz` counts them. */
  openStreams(): Promise<number>;
  /** SIGKILL: no close event, no cleanup, streams cut mid-flight. */
  kill(): Promise<void>;
  /** The same command again, on the same ports and database. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `npm start`'s real server process (`bun demo/server/main.ts`) with the demo on, on a fresh
 * database in the run's Postgres. Fixed ports, so a restarted server is the same origin.
 */
export async function startDemoServer(): Promise<DemoServer> {
  const databaseUrl = await createDatabase(inject("postgresUrl"));
  const env = {
    DATABASE_URL: databaseUrl,
    NOTIFY_DEMO: "1",
    PORT: String(await freePort()),
    NOTIFY_DEMO_SECOND_PORT: String(await freePort()),
  };
  let expectedExit = false;
  /** A server that dies on its own makes every later step fail obscurely: say so, loudly. */
  const watch = (server: ServerProcess) => {
    server.child.once("exit", (code, signal) => {
      if (expectedExit) return;
      console.error(
        `the server process (pid ${server.child.pid}) exited unexpectedly: code ${code}, signal ${signal}\n` +
          server.output.slice(-10).join("\n"),
      );
    });
    return server;
  };
  let process = watch(await startServer(env, { entry: NPM_START_ENTRY }));
  const sql = connect(databaseUrl);
  const demo: DemoServer = {
    url: process.url,
    secondUrl: secondOrigin(process),
    sql,
    process,
    async openStreams() {
      const response = await fetch(`${demo.url}/healthz`);
      return ((await response.json()) as { openStreams: number }).openStreams;
    },
    async kill() {
      expectedExit = true;
      await process.stop("SIGKILL");
    },
    async start() {
      process = watch(await startServer(env, { entry: NPM_START_ENTRY }));
      expectedExit = false;
      demo.process = process;
    },
    async stop() {
      expectedExit = true;
      await process.stop("SIGKILL");
      await sql.end({ timeout: 1 });
    },
  };
  return demo;
}

function secondOrigin(server: ServerProcess): string {
  for (const line of server.output) {
    if (!line.startsWith("{")) continue;
    const entry = JSON.parse(line) as { msg?: string; secondUrl?: string };
    if (entry.msg === "demo ready" && entry.secondUrl) return entry.secondUrl.replace(/\/$/, "");
  }
  throw new Error(`the demo did not start:\n${server.output.join("\n")}`);
}

/** Inserts as a tenant app does, in a transaction of its own; returns the notification id. */
export async function insert(
  sql: DemoServer["sql"],
  tenant: string,
  recipient: string,
  title: string,
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    INSERT INTO notify.notifications (tenant_id, recipient, title)
    VALUES (${tenant}, ${recipient}, ${title}) RETURNING id`;
  return String(row?.id);
}
