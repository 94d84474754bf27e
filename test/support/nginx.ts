import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./postgres.ts";

const deployConfig = fileURLToPath(new URL("../../deploy/nginx.conf", import.meta.url));

export interface NginxOptions {
  /** Ports of the server instances, on 127.0.0.1. */
  upstreams: number[];
  /** Replaces the stream location's `proxy_read_timeout` (for example "10s"). */
  streamReadTimeout?: string;
}

export interface Nginx {
  url: string;
  /** nginx's error log so far. */
  errorLog(): string;
  stop(): Promise<void>;
}

/** Replaces what `pattern` matches in the deploy config, failing if it no longer matches. */
function replace(config: string, pattern: RegExp, by: string): string {
  if (!pattern.test(config)) throw new Error(`deploy/nginx.conf no longer matches ${pattern}`);
  return config.replace(pattern, by);
}

/**
 * Runs Debian's nginx with the repository's `deploy/nginx.conf` (only its instance ports,
 * listen port, log path and, when asked, the stream read timeout replaced), in the
 * foreground, with everything it writes in a temporary folder.
 */
export async function startNginx(options: NginxOptions): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), "notify-bell-nginx-"));
  chmodSync(dir, 0o777); // nginx's workers run as nobody
  const port = await freePort();

  let site = readFileSync(deployConfig, "utf8");
  const serverLine = /^(\s*)server 127\.0\.0\.1:\d+( [^;]*)?;\n/m;
  const options_ = serverLine.exec(site)?.[2] ?? "";
  site = replace(
    site,
    /^(\s*server 127\.0\.0\.1:\d+[^;]*;\n)+/m,
    options.upstreams.map((upstream) => `    server 127.0.0.1:${upstream}${options_};\n`).join(""),
  );
  site = replace(site, /listen 8080;/, `listen 127.0.0.1:${port};`);
  site = replace(site, /\/var\/log\/nginx\/notify-bell\.access\.log/, join(dir, "access.log"));
  if (options.streamReadTimeout) {
    site = replace(
      site,
      /(location = \/v1\/stream \{[^}]*proxy_read_timeout )1h;/,
      `$1${options.streamReadTimeout};`,
    );
  }
  writeFileSync(join(dir, "notify-bell.conf"), site);
  writeFileSync(
    join(dir, "nginx.conf"),
    `daemon off;
worker_processes 1;
worker_rlimit_nofile 20000;
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "error.log")} warn;
events { worker_connections 10000; }
http {
  client_body_temp_path ${join(dir, "body")};
  proxy_temp_path ${join(dir, "proxy")};
  fastcgi_temp_path ${join(dir, "fastcgi")};
  uwsgi_temp_path ${join(dir, "uwsgi")};
  scgi_temp_path ${join(dir, "scgi")};
  include ${join(dir, "notify-bell.conf")};
}
`,
  );

  const child: ChildProcess = spawn(
    "nginx",
    ["-p", dir, "-c", join(dir, "nginx.conf"), "-e", join(dir, "error.log")],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const errorLog = () => {
    try {
      return readFileSync(join(dir, "error.log"), "utf8");
    } catch {
      return "";
    }
  };

  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`nginx did not start: ${stderr}\n${errorLog()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    errorLog,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
