import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeArgs } from "../lib/node-script.ts";
import { processTree } from "../lib/proc-stats.ts";
import { TENANT } from "../setup/postgres.ts";
import { type ServiceProcess, startService } from "./service-process.ts";
import type { SystemDefinition } from "./system.ts";

/**
 * Pushpin (Debian's package) with the bridge as its origin and publisher. Its config is
 * Debian's with the bench's ports and folders, and the publish rate limit lifted
 * (`message_rate` 2,500/s by default would make every fan-out take seconds).
 */
export const pushpin: SystemDefinition = {
  key: "pushpin",
  label: "Pushpin + bridge",
  setup:
    "Debian `pushpin` (condure, proxy, handler) + LISTEN → publish bridge (Node, pg); message_rate raised to 1,000,000/s",
  usesDatabase: true,
  restartable: false,
  async start({ database, port }) {
    if (!database) throw new Error("Pushpin's bridge needs a database");
    const dir = mkdtempSync(join(tmpdir(), "notify-bell-bench-pushpin-"));
    const originPort = port + 1;
    const portOffset = port - 5500;
    const publishPort = 5561 + portOffset;
    const settings: Record<string, string> = {
      rundir: dir,
      logdir: dir,
      port_offset: String(portOffset),
      http_port: String(port),
      log_level: "1",
      message_rate: "1000000",
      message_hwm: "1000000",
      push_in_http_max_body_size: "20000000",
      stats_connection_ttl: "0",
      // Requests to the origin go out through zurl: run our own, on sockets in our folder.
      services: "condure,zurl,pushpin-proxy,pushpin-handler",
    };
    const config = readFileSync("/etc/pushpin/pushpin.conf", "utf8")
      .replace(/^([a-z_]+)=.*$/gm, (line, name: string) =>
        name in settings ? `${name}=${settings[name]}` : line,
      )
      .replace(
        /^\[proxy\]$/m,
        "[proxy]\nzurl_out_specs=ipc://{rundir}/{ipc_prefix}zurl-in\n" +
          "zurl_out_stream_specs=ipc://{rundir}/{ipc_prefix}zurl-in-stream\n" +
          "zurl_in_specs=ipc://{rundir}/{ipc_prefix}zurl-out",
      );
    writeFileSync(join(dir, "pushpin.conf"), config);
    writeFileSync(join(dir, "routes"), `* 127.0.0.1:${originPort}\n`);
    let bridge: ServiceProcess | undefined;
    let proxy: ServiceProcess | undefined;
    const stop = async () => {
      // Pushpin takes seconds to shut down gracefully; whatever is left after one is killed.
      await proxy?.stop("SIGTERM", 1_000);
      await bridge?.stop("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      bridge = await startService("node", nodeArgs("systems/bridge-server.ts"), {
        env: {
          TARGET: "pushpin",
          TENANT,
          DATABASE_URL: database.url,
          PUBLISH_URL: `http://127.0.0.1:${publishPort}/publish/`,
          ORIGIN_PORT: String(originPort),
        },
        ready: /bridge listening/,
      });
      const started = await startService("pushpin", [`--config=${join(dir, "pushpin.conf")}`], {});
      proxy = started;
      // Ready once the HTTP port answers.
      const deadline = Date.now() + 20_000;
      for (;;) {
        try {
          await fetch(`http://127.0.0.1:${port}/`);
          break;
        } catch {
          const exited = started.exitReason();
          if (exited) throw new Error(`pushpin did not start: ${exited}`);
          if (Date.now() > deadline)
            throw new Error(
              `pushpin did not answer on port ${port} within 20 s:\n${started.output.slice(-20).join("\n")}`,
            );
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    } catch (error) {
      await stop();
      throw error;
    }
    const running = { bridge, proxy: proxy as ServiceProcess };
    return {
      pids: () => processTree(running.proxy.pid),
      feed: { url: database.url, tenant: TENANT },
      target: (user) => ({ port, path: `/stream/${user}`, headers: {}, user }),
      failure: () => running.proxy.exitReason() ?? running.bridge.exitReason(),
      stop,
    };
  },
};
