import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connect, createDatabase } from "../../../test/support/database.ts";
import { TcpProxy } from "../../../test/support/tcp-proxy.ts";
import { runMigrations } from "../db/migrate.ts";
import { createLogger } from "../log.ts";
import { Ticker } from "./ticker.ts";

/**
 * The ticker records a tick when something became visible, and a tick query that Postgres
 * never answers fails by its deadline: the ticker starts over on a new connection instead of
 * stopping delivery on every instance (and keeping the lock that lets another take over).
 * The connection is stalled by a proxy, as a dead link, or postgres.js across a Postgres
 * restart (read-deadline.ts), leaves it.
 */
let proxy: TcpProxy;
let sql: ReturnType<typeof connect>;
let ticker: Ticker;
const warnings: string[] = [];

beforeAll(async () => {
  const databaseUrl = await createDatabase(inject("postgresUrl"));
  await runMigrations(databaseUrl);
  sql = connect(databaseUrl, 2);
  await sql`INSERT INTO notify.tenants (id, name, signing_secret, api_key_hash)
    VALUES ('acme', 'Acme', repeat('s', 32), repeat('h', 64))`;
  proxy = new TcpProxy(Number(new URL(databaseUrl).port));
  const proxied = new URL(databaseUrl);
  proxied.host = await proxy.start();
  const log = createLogger("warn", (line) => warnings.push(line));
  ticker = new Ticker({
    url: proxied.toString(),
    log,
    minPollMs: 1,
    maxPollMs: 4,
    keepTicksMs: 3_600_000,
    deadlineMs: 500,
  });
  ticker.start();
});
afterAll(async () => {
  await ticker?.stop();
  await proxy?.stop();
  await sql?.end({ timeout: 1 });
});

const newestTick = async () => Number((await sql`SELECT max(id) AS id FROM notify.ticks`)[0]?.id);
const insert = () =>
  sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('acme', 'kim', 'hi')`;

async function tickAfter(tick: number, what: string) {
  const deadline = Date.now() + 15_000;
  while ((await newestTick()) <= tick) {
    if (Date.now() > deadline) throw new Error(`no tick after ${tick}: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the ticker", () => {
  it("records a tick for a change, and goes on ticking after its connection stalls", async () => {
    let before = await newestTick();
    await insert();
    await tickAfter(before, "a tick for the insert");

    proxy.stall();
    before = await newestTick();
    await insert();
    await tickAfter(before, "a tick after the stall");
    expect(warnings.some((line) => line.includes("no answer from Postgres in 500 ms"))).toBe(true);
  });
});
