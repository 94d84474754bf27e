import { nodeArgs } from "../lib/node-script.ts";
import { TENANT } from "../setup/postgres.ts";
import { collectGarbage } from "./collect-garbage.ts";
import { type ServiceProcess, startService } from "./service-process.ts";
import type { SystemDefinition } from "./system.ts";

export const nodeBaseline: SystemDefinition = {
  key: "node",
  label: "Node http + pg",
  setup:
    "`node:http` + `pg` LISTEN, pool 10, resumes from Last-Event-ID (bench/systems/node-baseline-server.ts)",
  usesDatabase: true,
  restartable: true,
  async start({ database, port }) {
    if (!database) throw new Error("the Node baseline needs a database");
    const launch = () =>
      startService("node", ["--expose-gc", ...nodeArgs("systems/node-baseline-server.ts")], {
        env: { PORT: String(port), DATABASE_URL: database.url, TENANT },
        ready: /node-baseline listening/,
      });
    let server: ServiceProcess = await launch();
    return {
      pids: () => [server.pid],
      feed: { url: database.url, tenant: TENANT },
      target: (user) => ({ port, path: `/stream/${user}`, headers: {}, user }),
      collectGarbage: () => collectGarbage(server.pid),
      failure: () => server.exitReason(),
      restart: {
        stop: () => server.stop("SIGTERM"),
        async start() {
          server = await launch();
        },
      },
      stop: () => server.stop("SIGKILL"),
    };
  },
};
