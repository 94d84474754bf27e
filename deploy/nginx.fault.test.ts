import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connect, createDatabase } from "../test/support/database.ts";
import { type Nginx, startNginx } from "../test/support/nginx.ts";
import { ReconnectingClient } from "../test/support/reconnecting-client.ts";
import { type ServerProcess, startServer } from "../test/support/server-process.ts";
import { SseClient } from "../test/support/sse-client.ts";
import { createTenant, type TestTenant, userToken } from "../test/support/tenants.ts";

/**
 * `deploy/nginx.conf` as shipped, in front of several server instances on one Postgres.
 * The instances share nothing but the database; nginx is the only thing that knows there are
 * several.
 */
let databaseUrl: string;
let sql: ReturnType<typeof connect>;
const started: { stop(): Promise<unknown> }[] = [];

beforeAll(async () => {
  databaseUrl = await createDatabase(inject("postgresUrl"));
  sql = connect(databaseUrl, 6);
});
afterAll(async () => {
  for (const thing of started.reverse()) await thing.stop();
  await sql?.end({ timeout: 1 });
});

const port = (server: ServerProcess) => Number(new URL(server.url).port);
const openStreams = async (server: ServerProcess): Promise<number> =>
  (await (await fetch(new URL("/healthz", server.url))).json()).openStreams;

async function instance(env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await startServer({
    DATABASE_URL: databaseUrl,
    NOTIFY_RATE_LIMITS: "off",
    ...env,
  });
  started.push({ stop: () => server.stop("SIGKILL") });
  return server;
}

async function proxy(upstreams: ServerProcess[], streamReadTimeout?: string): Promise<Nginx> {
  const nginx = await startNginx({ upstreams: upstreams.map(port), streamReadTimeout });
  started.push(nginx);
  return nginx;
}

describe("three instances behind nginx", () => {
  it("loses nothing and doubles nothing when one instance is killed mid-burst", async () => {
    const servers = await Promise.all([1, 2, 3].map(() => instance({ NOTIFY_RETRY_MS: "300" })));
    const nginx = await proxy(servers);
    const acme: TestTenant = await createTenant(nginx.url, "acme");

    const users = Array.from({ length: 60 }, (_, i) => `u${String(i).padStart(2, "0")}`);
    const clients = await Promise.all(
      users.map(
        async (user) => new ReconnectingClient(() => nginx.url, await userToken(acme, user)),
      ),
    );
    // Every client has its opening id, and nginx spread them over all three instances.
    const deadline = Date.now() + 15_000;
    let spread: number[] = [];
    while (Date.now() < deadline) {
      spread = await Promise.all(servers.map(openStreams));
      if (spread.reduce((a, b) => a + b, 0) === users.length) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(spread.reduce((a, b) => a + b, 0)).toBe(users.length);
    for (const count of spread) expect(count).toBeGreaterThan(5);
    await new Promise((resolve) => setTimeout(resolve, 300));

    // The burst: 4 writers, 20 rows per user, committed one by one in per-user order.
    const perUser = 20;
    const title = (user: string, i: number) => `${user}-${String(i).padStart(2, "0")}`;
    let written = 0;
    const writers = [0, 1, 2, 3].map(async (writer) => {
      for (let i = 0; i < perUser; i++) {
        for (const user of users.filter((_, index) => index % 4 === writer)) {
          await sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('acme', ${user}, ${title(user, i)})`;
          written++;
        }
      }
    });
    const total = users.length * perUser;
    while (written < total / 3) await new Promise((resolve) => setTimeout(resolve, 5));
    const victim = servers[1] as ServerProcess;
    const victimStreams = await openStreams(victim);
    await victim.stop("SIGKILL");
    const killedAt = written;
    await Promise.all(writers);
    expect(killedAt).toBeLessThan(total);

    for (const client of clients) await client.waitForTitles(perUser, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const [index, client] of clients.entries()) {
      const user = users[index] as string;
      expect(client.titles(), user).toEqual(
        Array.from({ length: perUser }, (_, i) => title(user, i)),
      );
      const ids = client.events.map((event) => Number(event.id));
      expect(ids, user).toEqual([...ids].sort((a, b) => a - b));
    }
    // The clients of the killed instance, and only they, reconnected, through nginx, to the
    // others. (Until the tenant directory waited for a reload on a miss, about 19 clients had
    // a first answer of 401 from an instance that did not know the new tenant yet.)
    const reconnected = clients.filter((client) => client.connections > 1).length;
    expect(reconnected).toBe(victimStreams);
    expect(
      (await openStreams(servers[0] as ServerProcess)) +
        (await openStreams(servers[2] as ServerProcess)),
    ).toBe(users.length);
    await Promise.all(clients.map((client) => client.stop()));
  });
});

describe("an idle stream through nginx", () => {
  it("outlives several proxy read timeouts on heartbeats alone; without them nginx drops it", async () => {
    const readTimeoutS = 10;
    const server = await instance({ NOTIFY_HEARTBEAT_MS: "3000" });
    const nginx = await proxy([server], `${readTimeoutS}s`);
    // The control: the same timeout in front of an instance whose heartbeat is too slow.
    const silent = await instance({ NOTIFY_HEARTBEAT_MS: "300000" });
    const silentNginx = await proxy([silent], `${readTimeoutS}s`);
    const acme = await createTenant(nginx.url, "acme-idle");
    const token = await userToken(acme, "idle");

    const idle = await SseClient.connect(nginx.url, "/v1/stream", { token });
    const control = await SseClient.connect(silentNginx.url, "/v1/stream", { token });
    expect(idle.response.status).toBe(200);
    await control.waitFor((c) => c.lastEventId !== "", 5_000, "control's opening id");
    const openedAt = Date.now();

    const controlEnded = control.ended.then(() => Date.now() - openedAt);
    await new Promise((resolve) => setTimeout(resolve, 3.5 * readTimeoutS * 1000));
    // nginx did enforce its timeout: the stream without heartbeats ended after about one.
    const controlLasted = await Promise.race([controlEnded, Promise.resolve(-1)]);
    expect(controlLasted).toBeGreaterThan(readTimeoutS * 1000 - 1000);
    expect(controlLasted).toBeLessThan(2 * readTimeoutS * 1000);

    expect(idle.isEnded).toBe(false);
    expect(idle.comments.length).toBeGreaterThanOrEqual(10);
    await sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('acme-idle', 'idle', 'still here')`;
    await idle.waitFor((c) => c.events.length === 1, 5_000, "the event after the idle time");
    expect(idle.dataOf("notification").map((n) => n.title)).toEqual(["still here"]);
    idle.close();
  });
});
