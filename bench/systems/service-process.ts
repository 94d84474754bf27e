import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const bunBin = `${repoRoot}/node_modules/.bin/bun`;

/**
 * A long-running process of a system under test, ready once a line of its output matches
 * `ready` (or at once without it).
 */
export interface ServiceProcess {
  child: ChildProcess;
  pid: number;
  output: string[];
  /** Sends the signal and waits for the exit (SIGKILL after `graceMs`). Safe to call twice. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export async function startService(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; ready?: RegExp; timeoutMs?: number; cwd?: string },
): Promise<ServiceProcess> {
  const child = spawn(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${command} did not start:\n${output.slice(-20).join("\n")}`)),
      options.timeoutMs ?? 30_000,
    );
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = "";
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) {
          if (output.length < 2_000) output.push(line);
          if (options.ready?.test(line)) {
            clearTimeout(timer);
            resolve();
          }
        }
      });
    }
    if (!options.ready) {
      // No line to wait for: the caller checks readiness itself (say, by connecting).
      clearTimeout(timer);
      resolve();
    }
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${command} exited before ready:\n${output.slice(-20).join("\n")}`));
    });
  });
  return {
    child,
    pid: child.pid ?? 0,
    output,
    async stop(signal = "SIGTERM", graceMs = 8_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
