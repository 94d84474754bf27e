import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connect, createDatabase } from "../../../test/support/database.ts";
import { TcpProxy } from "../../../test/support/tcp-proxy.ts";
import { runMigrations } from "../db/migrate.ts";
import { type ChangeLog, createChangeLog } from "./change-log.ts";
import { atTick } from "./stream-cursor.ts";

/**
 * A read that Postgres never answers fails by its deadline instead of hanging. The stream
 * that issued it then closes with `database_unavailable` and its client resumes; a read left
 * pending kept its stream "reading" forever (heartbeats, no more rows, no reconnect): the
 * restart test in main.test.ts once lost a client that way. Here the connection is stalled
 * by a proxy (a dead link looks alive to TCP); postgres.js across a Postgres restart does the
 * same to a few queries (read-deadline.ts).
 */
const DEADLINE_MS = 500;

let proxy: TcpProxy;
let pool: ReturnType<typeof connect>;
let changeLog: ChangeLog;

beforeAll(async () => {
  const databaseUrl = await createDatabase(inject("postgresUrl"));
  await runMigrations(databaseUrl);
  proxy = new TcpProxy(Number(new URL(databaseUrl).port));
  const proxied = new URL(databaseUrl);
  proxied.host = await proxy.start();
  pool = connect(proxied.toString(), 1);
  changeLog = createChangeLog(pool, pool, { readBatch: () => {} }, DEADLINE_MS);
});
afterAll(async () => {
  await proxy?.stop();
  await pool?.end({ timeout: 0 });
});

describe("stream reads", () => {
  it("answer while the connection does, and fail by their deadline once it stalls", async () => {
    const read = () => changeLog.changes("acme", "kim", { from: 0, to: 1, after: 0 }, 10);
    await expect(read()).resolves.toMatchObject({ changes: [] });
    await expect(changeLog.head("acme", "kim", atTick(0), 10)).resolves.toMatchObject({
      known: expect.any(Boolean),
    });

    proxy.stall();
    const started = Date.now();
    await expect(read()).rejects.toThrow(/no answer from Postgres in 500 ms/);
    await expect(changeLog.changedSince(undefined)).rejects.toThrow(/no answer/);
    await expect(changeLog.tickNow()).rejects.toThrow(/no answer/);
    // Generous: the point is that they end at all (before the fix they never did).
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
