import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, createDatabase } from "../../test/support/database.ts";
import { startPostgres, type TestPostgres } from "../../test/support/postgres.ts";
import { ReconnectingClient } from "../../test/support/reconnecting-client.ts";
import {
  NPM_START_ENTRY,
  type ServerProcess,
  startServer,
} from "../../test/support/server-process.ts";
import { SseClient } from "../../test/support/sse-client.ts";
import { createTenant, userToken } from "../../test/support/tenants.ts";

/** Faults around the whole process: its database restarting under it, and SIGTERM. */
let postgres: TestPostgres;
let databaseUrl: string;

beforeAll(async () => {
  // Its own Postgres: this file stops and starts it.
  postgres = await startPostgres();
  databaseUrl = await createDatabase(postgres.url);
});
afterAll(() => postgres?.dispose());

/** A tenant app that retries a failed insert, checking first whether it had committed. */
async function insertSurely(sql: ReturnType<typeof connect>, recipient: string, title: string) {
  for (;;) {
    try {
      const [done] =
        await sql`SELECT 1 FROM notify.notifications WHERE recipient = ${recipient} AND title = ${title}`;
      if (!done) {
        await sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('acme', ${recipient}, ${title})`;
      }
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe("the server process", () => {
  let server: ServerProcess;

  it("delivers every row exactly once, in order, while Postgres restarts under it", async () => {
    server = await startServer({
      DATABASE_URL: databaseUrl,
      NOTIFY_RETRY_MS: "300",
      NOTIFY_LISTENER_PROBE_MS: "500",
      // A stream read that Postgres's restart leaves unanswered (postgres.js loses a few
      // queries that way) fails at this plus 5 s and its stream closes for a retry: well
      // inside the waits below. Before that deadline existed, such a stream stayed open and
      // silent, and its client (4 of 20 rows) never reconnected.
      NOTIFY_DB_STATEMENT_TIMEOUT_MS: "2000",
    });
    const acme = await createTenant(server.url, "acme");
    const users = ["u1", "u2", "u3"];
    const clients = await Promise.all(
      users.map(
        async (user) => new ReconnectingClient(() => server.url, await userToken(acme, user)),
      ),
    );
    // Each client has its cursor before the first row commits: a stream that had not sent
    // its opening id when the outage hit left its client nothing to resume from, and the
    // next stream, starting at the head, skipped what committed meanwhile (the old fixed
    // 500 ms wait lost that race on a loaded machine).
    for (const client of clients) await client.waitForCursor(20_000);
    const sql = connect(databaseUrl, 3);

    const perUser = 20;
    const writers = users.map(async (user) => {
      for (let i = 0; i < perUser; i++) {
        await insertSurely(sql, user, `${user}-${String(i).padStart(2, "0")}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await postgres.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await postgres.start();
    await Promise.all(writers);

    for (const [index, client] of clients.entries()) {
      await client.waitForTitles(perUser, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const user = users[index] as string;
      const expected = Array.from(
        { length: perUser },
        (_, i) => `${user}-${String(i).padStart(2, "0")}`,
      );
      expect(client.titles()).toEqual(expected);
    }
    // The outage really happened: the listener lost its connection and came back.
    expect(server.output.join("\n")).toContain("listener lost its connection");
    for (const client of clients) await client.stop();
    await sql.end({ timeout: 1 });
    await server.stop("SIGKILL");
  });

  it("on SIGTERM ends open streams with a shutdown reason and exits; clients resume on the next server", async () => {
    server = await startServer({ DATABASE_URL: databaseUrl, NOTIFY_RETRY_MS: "200" });
    const beta = await createTenant(server.url, "beta");
    const open = await Promise.all(
      Array.from({ length: 50 }, async (_, i) =>
        SseClient.connect(server.url, "/v1/stream", {
          token: await userToken(beta, `term-${i % 5}`),
        }),
      ),
    );
    await Promise.all(open.map((c) => c.waitFor((x) => x.lastEventId !== "", 5_000, "opening id")));
    const sql = connect(databaseUrl, 2);
    await sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('beta', 'term-0', 'before')`;
    await open[0]?.waitFor((c) => c.events.length === 1, 5_000, "first event");

    const started = Date.now();
    const code = await server.stop("SIGTERM");
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    await Promise.all(open.map((c) => c.ended));
    for (const client of open)
      expect(client.dataOf("close")).toEqual([{ reason: "shutdown", retry: true }]);

    // Committed while no server runs; the next one replays it from the client's cursor.
    await sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('beta', 'term-0', 'between')`;
    server = await startServer({ DATABASE_URL: databaseUrl });
    const resumed = await SseClient.connect(server.url, "/v1/stream", {
      token: await userToken(beta, "term-0"),
      lastEventId: open[0]?.lastEventId,
    });
    await resumed.waitFor((c) => c.events.length === 1, 5_000, "the missed row");
    expect(resumed.dataOf("notification").map((n) => n.title)).toEqual(["between"]);
    resumed.close();
    await sql.end({ timeout: 1 });
    await server.stop("SIGKILL");
  });
});

describe("the entry points", () => {
  // NOTIFY_DEMO=1 asks for the demo: only `npm start`'s entry has it to give.
  const demoOn = () => ({
    DATABASE_URL: databaseUrl,
    NOTIFY_DEMO: "1",
    NOTIFY_DEMO_SECOND_PORT: "0",
  });

  it("the production entry (server/src/main.ts) serves no demo, even when asked", async () => {
    const server = await startServer(demoOn());
    try {
      const page = await fetch(new URL("/", server.url));
      expect(page.status).not.toBe(200);
      expect(await page.text()).not.toContain("<notify-bell");
      expect((await fetch(new URL("/healthz", server.url))).status).toBe(200);
      expect(server.output.join("\n")).not.toContain("demo ready");
    } finally {
      await server.stop();
    }
  });

  it("npm start's entry (demo/server/main.ts) is the same server with the demo mounted", async () => {
    const server = await startServer(demoOn(), { entry: NPM_START_ENTRY });
    try {
      const page = await fetch(new URL("/", server.url));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("<notify-bell");
      expect((await fetch(new URL("/healthz", server.url))).status).toBe(200);
      expect(server.output.join("\n")).toContain("demo ready");
    } finally {
      await server.stop();
    }
  });
});
