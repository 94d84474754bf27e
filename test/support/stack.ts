import { inject } from "vitest";
import { connect, createDatabase } from "./database.ts";
import { type ServerProcess, startServer } from "./server-process.ts";

export interface Stack {
  databaseUrl: string;
  server: ServerProcess;
  /** A tenant app's own connection to the database. */
  sql: ReturnType<typeof connect>;
  stop(): Promise<void>;
}

/** A fresh database in the run's Postgres, and the real server process on it. */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const databaseUrl = await createDatabase(inject("postgresUrl"));
  const server = await startServer({ DATABASE_URL: databaseUrl, ...env });
  const sql = connect(databaseUrl);
  return {
    databaseUrl,
    server,
    sql,
    async stop() {
      await server.stop("SIGKILL");
      await sql.end({ timeout: 1 });
    },
  };
}
