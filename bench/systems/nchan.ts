import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeArgs } from "../lib/node-script.ts";
import { processTree } from "../lib/proc-stats.ts";
import { TENANT } from "../setup/postgres.ts";
import { type ServiceProcess, startService } from "./service-process.ts";
import type { SystemDefinition } from "./system.ts";

/**
 * nginx with the nchan module (Debian's packages), one worker, fed by the bridge. The worker
 * may hold 20,000 open files like every other system; its connection table is larger than
 * that (nchan counts more than one connection per subscriber: at 19,500 it ran out at about
 * 18,300 streams, "worker_connections are not enough"), so the files are the limit.
 */
export const nchan: SystemDefinition = {
  key: "nchan",
  label: "nchan + bridge",
  setup:
    "Debian nginx + `libnginx-mod-nchan`, 1 worker, EventSource subscribers + LISTEN → publish bridge (Node, pg)",
  usesDatabase: true,
  restartable: false,
  async start({ database, port }) {
    if (!database) throw new Error("nchan's bridge needs a database");
    const dir = mkdtempSync(join(tmpdir(), "notify-bell-bench-nchan-"));
    mkdirSync(join(dir, "logs"));
    const publishPort = port + 1;
    writeFileSync(
      join(dir, "nginx.conf"),
      `load_module /usr/lib/nginx/modules/ngx_nchan_module.so;
worker_processes 1;
worker_rlimit_nofile 20000;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 40000; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  nchan_shared_memory_size 512m;
  server {
    listen 127.0.0.1:${port};
    location ~ ^/stream/(.+)$ {
      nchan_subscriber eventsource;
      nchan_channel_id $1;
      nchan_eventsource_ping_interval 15;
    }
  }
  server {
    listen 127.0.0.1:${publishPort};
    location ~ ^/pub/(.+)$ {
      nchan_publisher;
      nchan_channel_id $1;
      nchan_message_buffer_length 100;
      nchan_message_timeout 10m;
    }
  }
}
`,
    );
    let bridge: ServiceProcess | undefined;
    let master: ServiceProcess | undefined;
    const stop = async () => {
      await master?.stop("SIGTERM", 5_000);
      await bridge?.stop("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      bridge = await startService("node", nodeArgs("systems/bridge-server.ts"), {
        env: {
          TARGET: "nchan",
          TENANT,
          DATABASE_URL: database.url,
          PUBLISH_URL: `http://127.0.0.1:${publishPort}/pub/`,
        },
        ready: /bridge listening/,
      });
      const started = await startService("nginx", ["-p", dir, "-c", join(dir, "nginx.conf")], {});
      master = started;
      const deadline = Date.now() + 20_000;
      for (;;) {
        try {
          await fetch(`http://127.0.0.1:${publishPort}/`);
          break;
        } catch {
          const exited = started.exitReason();
          if (exited || Date.now() > deadline)
            throw new Error(
              `nginx did not ${exited ? `start: ${exited}` : "answer within 20 s"}\n${errorLog(dir)}`,
            );
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    } catch (error) {
      await stop();
      throw error;
    }
    const running = { bridge, master: master as ServiceProcess };
    return {
      pids: () => processTree(running.master.pid),
      feed: { url: database.url, tenant: TENANT },
      target: (user) => ({ port, path: `/stream/${user}`, headers: {}, user }),
      failure: () => running.master.exitReason() ?? running.bridge.exitReason(),
      stop,
    };
  },
};

function errorLog(dir: string): string {
  try {
    return readFileSync(join(dir, "logs/error.log"), "utf8").split("\n").slice(-20).join("\n");
  } catch {
    return "";
  }
}
