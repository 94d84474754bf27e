import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { reconnectDelaySeconds } from "../../server/src/db/client.ts";

/** A new, empty database in the given server; returns its URL. Migrations run when the server starts. */
export async function createDatabase(serverUrl: string): Promise<string> {
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A plain client, as a tenant app would use to insert rows. */
export function connect(url: string, max = 4) {
  // No type fetch on connect: when a test restarts Postgres, that query fails unhandled.
  return postgres(url, {
    max,
    onnotice: () => {},
    backoff: reconnectDelaySeconds,
    fetch_types: false,
  });
}
