import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bun = `${root}/node_modules/.bin/bun`;

export const ADMIN_TOKEN = "test-admin-token-0123456789";
export const METRICS_TOKEN = "test-metrics-token-0123456789";

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Every line the process wrote, stdout and stderr. */
  output: string[];
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The production entry point, and `npm start`'s (the same server, with the demo mounted). */
export const PRODUCTION_ENTRY = "server/src/main.ts";
export const NPM_START_ENTRY = "demo/server/main.ts";

/**
 * Runs the real server (`bun server/src/main.ts`, or `entry`) as a child process on a free
 * port, and resolves once it logs that it is listening. With `processGroup`, `stop` signals
 * the whole process group the server leads.
 */
export async function startServer(
  env: Record<string, string>,
  { processGroup = false, entry = PRODUCTION_ENTRY } = {},
): Promise<ServerProcess> {
  const child = spawn(bun, [entry], {
    // Its own process group, so `stop` can signal everything it started (Postgres included),
    // as a closed terminal, the OOM killer or `docker kill` would.
    detached: processGroup,
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: "0",
      NOTIFY_ADMIN_TOKEN: ADMIN_TOKEN,
      NOTIFY_METRICS_TOKEN: METRICS_TOKEN,
      NOTIFY_LOG_LEVEL: "info",
      // The demo (on by default with the embedded Postgres) only where a test asks for it.
      NOTIFY_DEMO: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start:\n${output.join("\n")}`)),
      30_000,
    );
    const onLine = (line: string) => {
      output.push(line);
      if (!line.startsWith("{")) return;
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === "notify-bell listening" && entry.url) {
        clearTimeout(timer);
        resolve(entry.url);
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = "";
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) onLine(line);
      });
    }
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output.join("\n")}`));
    });
  });
  return {
    url,
    child,
    output,
    async stop(signal = "SIGTERM") {
      if (processGroup && child.pid) {
        try {
          process.kill(-child.pid, signal);
        } catch {}
      } else if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
