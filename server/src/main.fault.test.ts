import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, createDatabase } from "../../test/support/database.ts";
import { startPostgres, type TestPostgres } from "../../test/support/postgres.ts";
import { ReconnectingClient } from "../../test/support/reconnecting-client.ts";
import { type ServerProcess, startServer } from "../../test/support/server-process.ts";
import { SseClient } from "../../test/support/sse-client.ts";
import { createTenant, type TestTenant, userToken } from "../../test/support/tenants.ts";

/** The process-level faults of main.test.ts, at the scale of the issue. */
let postgres: TestPostgres;
let databaseUrl: string;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  // Its own Postgres: this file stops and starts it.
  postgres = await startPostgres();
  databaseUrl = await createDatabase(postgres.url);
});
afterAll(async () => {
  for (const server of servers) await server.stop("SIGKILL");
  await postgres?.dispose();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const title = (user: string, i: number) => `${user}-${String(i).padStart(2, "0")}`;

async function instance(env: Record<string, string> = {}) {
  const server = await startServer({
    DATABASE_URL: databaseUrl,
    NOTIFY_RATE_LIMITS: "off",
    ...env,
  });
  servers.push(server);
  return server;
}

/** A tenant app that retries a failed insert, checking first whether it had committed. */
async function insertSurely(
  sql: ReturnType<typeof connect>,
  tenant: string,
  user: string,
  text: string,
) {
  for (;;) {
    try {
      const [done] =
        await sql`SELECT 1 FROM notify.notifications WHERE tenant_id = ${tenant} AND recipient = ${user} AND title = ${text}`;
      if (!done)
        await sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES (${tenant}, ${user}, ${text})`;
      return;
    } catch {
      await sleep(100);
    }
  }
}

describe("the server process at scale", () => {
  it("Postgres stopped for 5 s during 1,000 inserts from 5 writers, 200 clients: each gets exactly its rows, in order", async () => {
    const server = await instance({ NOTIFY_RETRY_MS: "500", NOTIFY_LISTENER_PROBE_MS: "500" });
    const acme: TestTenant = await createTenant(server.url, "acme");
    const users = Array.from({ length: 200 }, (_, i) => `u${String(i).padStart(3, "0")}`);
    const clients = await Promise.all(
      users.map(
        async (user) => new ReconnectingClient(() => server.url, await userToken(acme, user)),
      ),
    );
    await sleep(1_000);
    const sql = connect(databaseUrl, 5);
    const perUser = 5;
    let written = 0;
    const writers = [0, 1, 2, 3, 4].map(async (writer) => {
      const mine = users.filter((_, index) => index % 5 === writer);
      for (let i = 0; i < perUser; i++) {
        for (const user of mine) {
          await insertSurely(sql, "acme", user, title(user, i));
          written++;
        }
      }
    });
    while (written < 300) await sleep(10);
    await postgres.stop();
    await sleep(5_000);
    await postgres.start();
    await Promise.all(writers);
    expect(written).toBe(users.length * perUser);

    for (const client of clients) await client.waitForTitles(perUser, 60_000);
    await sleep(500);
    for (const [index, client] of clients.entries()) {
      const user = users[index] as string;
      expect(client.titles(), user).toEqual(
        Array.from({ length: perUser }, (_, i) => title(user, i)),
      );
    }
    expect(server.output.join("\n")).toContain("listener lost its connection");
    await Promise.all(clients.map((client) => client.stop()));
    await sql.end({ timeout: 1 });
    await server.stop("SIGKILL");
  });

  it("SIGTERM with 2,000 open streams: exits within 10 s, clients resume on another instance with nothing lost", async () => {
    const [a, b] = [await instance(), await instance()] as [ServerProcess, ServerProcess];
    const beta = await createTenant(a.url, "beta");
    const users = Array.from({ length: 200 }, (_, i) => `t${String(i).padStart(3, "0")}`);
    const tokens = await Promise.all(users.map((user) => userToken(beta, user)));
    const streams = await Promise.all(
      Array.from({ length: 2_000 }, (_, i) =>
        SseClient.connect(a.url, "/v1/stream", { token: tokens[i % users.length] }),
      ),
    );
    await Promise.all(
      streams.map((s) => s.waitFor((c) => c.lastEventId !== "", 30_000, "opening id")),
    );
    expect((await (await fetch(new URL("/healthz", a.url))).json()).openStreams).toBe(2_000);

    const sql = connect(databaseUrl, 4);
    // Rows keep committing before, during and after the shutdown.
    const perUser = 3;
    const writer = (async () => {
      for (let i = 0; i < perUser; i++) {
        for (const user of users)
          await sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('beta', ${user}, ${title(user, i)})`;
      }
    })();
    await sleep(100);
    const started = Date.now();
    const code = await a.stop("SIGTERM");
    const exitMs = Date.now() - started;
    console.info(`exited ${exitMs} ms after SIGTERM with 2,000 open streams`);
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(10_000);
    await Promise.all(streams.map((s) => s.ended));
    for (const s of streams)
      expect(s.dataOf("close")).toEqual([{ reason: "shutdown", retry: true }]);
    await writer;

    // Every client resumes on the other instance from its own last id.
    const resumed = await Promise.all(
      streams.map((s, i) =>
        SseClient.connect(b.url, "/v1/stream", {
          token: tokens[i % users.length],
          lastEventId: s.lastEventId,
        }),
      ),
    );
    for (const [i, client] of resumed.entries()) {
      const before = streams[i] as SseClient;
      const user = users[i % users.length] as string;
      const need = perUser - before.ofType("notification").length;
      await client.waitFor(
        (c) => c.ofType("notification").length >= need,
        30_000,
        `rest of ${user}`,
      );
    }
    await sleep(300);
    for (const [i, client] of resumed.entries()) {
      const user = users[i % users.length] as string;
      const titles = [
        ...(streams[i] as SseClient).dataOf("notification"),
        ...client.dataOf("notification"),
      ].map((n) => n.title);
      expect(titles, user).toEqual(Array.from({ length: perUser }, (_, k) => title(user, k)));
      client.close();
    }
    await sql.end({ timeout: 1 });
  });
});
