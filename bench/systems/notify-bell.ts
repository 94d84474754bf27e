import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import { SIGNING_SECRET, TENANT } from "../setup/postgres.ts";
import { collectGarbage } from "./collect-garbage.ts";
import { serverAccount } from "./notify-bell-metrics.ts";
import { bunBin, type ServiceProcess, startService } from "./service-process.ts";
import type { RunningSystem, SystemDefinition } from "./system.ts";

/**
 * This project, as `npm start` runs it (`bun server/src/main.ts`) against the bench's
 * Postgres, with a preload that only adds GC-on-SIGUSR2. Rate limits are turned off: they are
 * abuse protection, and the bench opens thousands of streams from one address.
 */
export const notifyBell: SystemDefinition = {
  key: "notify-bell",
  label: "notify-bell",
  setup: "`bun server/src/main.ts` (Elysia on Bun), request pool 10, NOTIFY_RATE_LIMITS=off",
  usesDatabase: true,
  restartable: true,
  async start({ database, port }) {
    if (!database) throw new Error("notify-bell needs a database");
    const statsPath = join(tmpdir(), `notify-bell-bench-heap-${port}.json`);
    const metricsToken = "bench-metrics-token-0123456789";
    const env = {
      DATABASE_URL: database.url,
      PORT: String(port),
      NOTIFY_LOG_LEVEL: "warn",
      NOTIFY_RETRY_MS: "500",
      NOTIFY_RATE_LIMITS: "off",
      NOTIFY_DEMO: "0",
      NOTIFY_METRICS_TOKEN: metricsToken,
      BENCH_HEAP_STATS: statsPath,
    };
    // BENCH_PROFILE_DIR=dir: Bun writes a CPU profile (.cpuprofile and .md) there per process,
    // on a clean exit; the system is then stopped with SIGTERM instead of SIGKILL.
    const profileDir = process.env.BENCH_PROFILE_DIR;
    const profile = profileDir
      ? ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${profileDir}`]
      : [];
    const launch = () =>
      startService(
        bunBin,
        [...profile, "--preload", "./bench/systems/gc-preload.ts", "server/src/main.ts"],
        { env, ready: /notify-bell\s+http:/ },
      );
    let server: ServiceProcess = await launch();
    const tokens = new Map<string, string>();
    const key = new TextEncoder().encode(SIGNING_SECRET);
    const system: RunningSystem = {
      pids: () => [server.pid],
      feed: { url: database.url, tenant: TENANT },
      async prepare(users) {
        for (const user of users) {
          if (tokens.has(user)) continue;
          tokens.set(
            user,
            await new SignJWT({ tenant: TENANT })
              .setProtectedHeader({ alg: "HS256" })
              .setSubject(user)
              .setExpirationTime("6h")
              .sign(key),
          );
        }
      },
      target: (user) => ({
        port,
        path: "/v1/stream",
        headers: { authorization: `Bearer ${tokens.get(user)}` },
        user,
      }),
      collectGarbage: () => collectGarbage(server.pid, statsPath),
      account: () => serverAccount(port, metricsToken),
      failure: () => server.exitReason(),
      restart: {
        stop: () => server.stop("SIGTERM"),
        async start() {
          server = await launch();
        },
      },
      stop: () => server.stop(profileDir ? "SIGTERM" : "SIGKILL"),
    };
    return system;
  },
};
