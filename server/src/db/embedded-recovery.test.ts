import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../test/support/postgres.ts";
import {
  ADMIN_TOKEN,
  type ServerProcess,
  startServer,
} from "../../../test/support/server-process.ts";
import { api } from "../../../test/support/tenants.ts";

/**
 * `npm start` with no DATABASE_URL, treated as a newcomer's machine treats it: the whole
 * process group killed at any moment, a port already taken, Postgres dying under the server.
 * Each time, the next start works with no manual step, or the failure says what to do.
 */
const dataDir = mkdtempSync(join(tmpdir(), "notify-recovery-"));
chmodSync(dataDir, 0o755);
let pgPort: number;
let server: ServerProcess | undefined;

beforeAll(async () => {
  pgPort = await portNoOneIsGiven();
});
afterAll(async () => {
  await server?.stop("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
});

const start = (env: Record<string, string> = {}) =>
  startServer(
    { NOTIFY_DATA_DIR: dataDir, NOTIFY_EMBEDDED_PG_PORT: String(pgPort), ...env },
    { processGroup: true },
  );
const postmasterPid = () =>
  Number(readFileSync(join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
const health = async () => {
  const response = await fetch(new URL("/healthz", server?.url));
  return { status: response.status, body: await response.json() };
};

/** The one line a failed start prints, from the rejection of `startServer`. */
async function failedStart(env: Record<string, string>): Promise<string[]> {
  const message = await start(env).then(
    (started) => {
      server = started;
      return "started";
    },
    (error: Error) => error.message,
  );
  expect(message).toMatch(/^server exited with 1 before listening/);
  return message.split("\n").filter((line) => line.startsWith("notify-bell: failed to start"));
}

/**
 * A free port below the kernel's ephemeral range: the rounds below keep one Postgres port for
 * a minute, and a port from that range (what `PORT=0` and outgoing connections get) may be
 * handed to another test's process in the meantime.
 */
async function portNoOneIsGiven(): Promise<number> {
  const [low] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").split(/\s+/);
  const below = Number(low) || 32_768;
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * (below - 20_000));
    const free = await occupy(port).then(
      (holder) => new Promise<boolean>((resolve) => holder.close(() => resolve(true))),
      () => false,
    );
    if (free) return port;
  }
}

function occupy(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const holder = createServer();
    holder.once("error", reject);
    holder.listen(port, "127.0.0.1", () => resolve(holder));
  });
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined && done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("embedded Postgres start-up", () => {
  it("starts again after its whole process group is SIGKILLed, ten times in a row", async () => {
    for (let round = 1; round <= 10; round++) {
      server = await start();
      const created = await api(server.url, "/v1/admin/tenants", ADMIN_TOKEN, {
        body: { id: `round-${round}`, name: `Round ${round}` },
      });
      expect(created.status, `round ${round}`).toBe(201);
      await server.stop("SIGKILL");
      server = undefined;
    }
    server = await start();
    expect((await health()).body).toMatchObject({ status: "ok", database: "up" });
    for (let round = 1; round <= 10; round++) {
      const patched = await api(server.url, `/v1/admin/tenants/round-${round}`, ADMIN_TOKEN, {
        method: "PATCH",
        body: { name: `Round ${round}, kept` },
      });
      expect(patched.status, `round ${round}`).toBe(200);
    }
  }, 300_000);

  it("listens on TCP only, leaving no socket or lock file outside its data folder", async () => {
    expect(server).toBeDefined();
    const leftovers = readdirSync("/tmp").filter((name) => name.includes(`PGSQL.${pgPort}`));
    expect(leftovers).toEqual([]);
  });

  it("restarts a Postgres that dies under it, with backoff, and /healthz says what happened", async () => {
    const first = postmasterPid();
    process.kill(first, "SIGKILL");
    const recovered = await eventually(
      health,
      (answer) => answer.status === 200 && answer.body.embeddedPostgres?.restarts === 1,
      "the embedded Postgres to be restarted",
    );
    expect(recovered.body.embeddedPostgres).toMatchObject({ state: "running", restarts: 1 });
    expect(recovered.body.embeddedPostgres.lastExit).toMatch(/SIGKILL/);
    expect(postmasterPid()).not.toBe(first);
    const created = await api(server?.url as string, "/v1/admin/tenants", ADMIN_TOKEN, {
      body: { id: "after-restart", name: "After restart" },
    });
    expect(created.status).toBe(201);
    await server?.stop("SIGTERM");
    server = undefined;
  });

  it("a busy Postgres port: one line naming NOTIFY_EMBEDDED_PG_PORT", async () => {
    const holder = await occupy(pgPort);
    try {
      const lines = await failedStart({});
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`port ${pgPort}`);
      expect(lines[0]).toContain("NOTIFY_EMBEDDED_PG_PORT");
    } finally {
      holder.close();
    }
  });

  it("a busy HTTP port: one line naming PORT, and the Postgres it started is stopped", async () => {
    const httpPort = await freePort();
    const holder = await occupy(httpPort);
    try {
      const lines = await failedStart({ PORT: String(httpPort) });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`port ${httpPort}`);
      expect(lines[0]).toMatch(/set PORT\b/);
    } finally {
      holder.close();
    }
    // Stopped, not killed: Postgres removes its pid file last thing on a clean shutdown.
    expect(existsSync(join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
    const released = await occupy(pgPort);
    released.close();
  });
});
