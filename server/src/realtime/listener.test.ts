import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connect, createDatabase } from "../../../test/support/database.ts";
import { type ServerProcess, startServer } from "../../../test/support/server-process.ts";
import { SseClient } from "../../../test/support/sse-client.ts";
import { TcpProxy } from "../../../test/support/tcp-proxy.ts";
import { createTenant, type TestTenant, userToken } from "../../../test/support/tenants.ts";

/**
 * The listener's connection goes through a TCP proxy (NOTIFY_LISTEN_URL), so the tests can
 * kill or silently stall it while the request pool stays healthy.
 */
let proxy: TcpProxy;
let server: ServerProcess;
let sql: ReturnType<typeof connect>;
let acme: TestTenant;

const PROBE_MS = 500;

beforeAll(async () => {
  const databaseUrl = await createDatabase(inject("postgresUrl"));
  const direct = new URL(databaseUrl);
  proxy = new TcpProxy(Number(direct.port));
  const listenUrl = new URL(databaseUrl);
  listenUrl.host = await proxy.start();
  server = await startServer({
    DATABASE_URL: databaseUrl,
    NOTIFY_LISTEN_URL: listenUrl.toString(),
    NOTIFY_LISTENER_PROBE_MS: String(PROBE_MS),
  });
  sql = connect(databaseUrl);
  acme = await createTenant(server.url, "acme");
});
afterAll(async () => {
  await server?.stop("SIGKILL");
  await sql?.end({ timeout: 1 });
  await proxy?.stop();
});

const health = async () => (await fetch(new URL("/healthz", server.url))).json();

async function waitForListening(timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await health()).listener === "listening") return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("listener did not come back");
}

describe("listener", () => {
  it("re-LISTENs after its connection is terminated and delivers what committed meanwhile", async () => {
    const client = await SseClient.connect(server.url, "/v1/stream", {
      token: await userToken(acme, "kim"),
    });
    await client.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");

    await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE application_name = 'notify-bell-listener'`;
    // Committed while no one listens: no NOTIFY reaches the server for these.
    for (let i = 0; i < 5; i++) {
      await sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('acme', 'kim', ${`gap ${i}`})`;
    }
    await client.waitFor((c) => c.events.length === 5, 10_000, "rows from the outage");
    await waitForListening(5_000);
    await sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('acme', 'kim', 'after')`;
    await client.waitFor((c) => c.events.length === 6, 5_000, "live again");
    expect(client.dataOf("notification").map((n) => n.title)).toEqual([
      "gap 0",
      "gap 1",
      "gap 2",
      "gap 3",
      "gap 4",
      "after",
    ]);
    // Tenant changes still arrive too (a second channel on the same connection).
    const later = await createTenant(server.url, "later");
    expect(
      (
        await fetch(new URL("/v1/notifications/unread-count", server.url), {
          headers: { authorization: `Bearer ${await userToken(later, "x")}` },
        })
      ).status,
    ).toBe(200);
    client.close();
  });

  it("notices a silently stalled connection with its probe, reconnects and catches up", async () => {
    await waitForListening(5_000);
    const client = await SseClient.connect(server.url, "/v1/stream", {
      token: await userToken(acme, "lee"),
    });
    await client.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");

    const linesBeforeStall = server.output.length;
    proxy.stall();
    for (let i = 0; i < 3; i++) {
      await sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('acme', 'lee', ${`stalled ${i}`})`;
    }
    // Detected within a probe interval or two, then caught up from the table.
    await client.waitFor(
      (c) => c.events.length === 3,
      10 * PROBE_MS + 5_000,
      "rows from the stall",
    );
    expect(client.dataOf("notification").map((n) => n.title)).toEqual([
      "stalled 0",
      "stalled 1",
      "stalled 2",
    ]);
    // Delivered by a connection made after the stall (the probe replaced the stalled one).
    expect(server.output.slice(linesBeforeStall).join("\n")).toContain("listener listening");
    client.close();
  });
});
