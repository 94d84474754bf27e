import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { processTree } from "../lib/proc-stats.ts";

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
  /** Why it is gone (`exited with code 1`, `killed by SIGSEGV`), if it exited on its own. */
  exitReason(): string | undefined;
  /**
   * Sends the signal and waits for the exit (SIGKILL after `graceMs`); then SIGKILLs whatever
   * it had started that outlived it (nginx workers, Pushpin's services), so nothing keeps a
   * port for the next start. Safe to call twice.
   */
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
  const name = basename(args.find((a) => /\.(ts|js)$/.test(a)) ?? command);
  const output: string[] = [];
  let stopping = false;
  let exitReason: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      if (!stopping) exitReason = signal ? `killed by ${signal}` : `exited with code ${code}`;
      resolve();
    }),
  );
  const tail = () => output.slice(-20).join("\n");
  let descendants: { pid: number; started: string }[] = [];
  const stop = async (signal: NodeJS.Signals = "SIGTERM", graceMs = 8_000) => {
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) {
      descendants = processTree(child.pid ?? 0)
        .slice(1)
        .map((pid) => ({ pid, started: startTime(pid) ?? "" }));
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    }
    await killLeftovers(descendants);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `${name} did not start within ${(options.timeoutMs ?? 30_000) / 1000} s:\n${tail()}`,
            ),
          ),
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
            else output.splice(1_000, 1, line);
            if (options.ready?.test(line)) {
              clearTimeout(timer);
              resolve();
            }
          }
        });
      }
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(new Error(`${name} could not be started: ${error.message}`));
      });
      if (!options.ready) {
        // No line to wait for: the caller checks readiness itself (say, by connecting).
        clearTimeout(timer);
        resolve();
      }
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`${name} ${exitReason ?? "exited"} before it was ready:\n${tail()}`));
      });
    });
  } catch (error) {
    // Never leave a half-started process behind: it would hold its port for the next start.
    await stop("SIGKILL");
    throw error;
  }
  return {
    child,
    pid: child.pid ?? 0,
    output,
    exitReason: () => (exitReason ? `${name} ${exitReason}:\n${tail()}` : undefined),
    stop,
  };
}

/** /proc/<pid>/stat's start time: tells a process from a later one given the same pid. */
function startTime(pid: number): string | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = raw.slice(raw.lastIndexOf(")") + 2).split(" ");
    // A zombie is gone for our purposes (it holds no socket); its parent reaps it.
    return fields[0] === "Z" ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

async function killLeftovers(processes: { pid: number; started: string }[]): Promise<void> {
  const alive = () => processes.filter((p) => p.started && startTime(p.pid) === p.started);
  for (const p of alive()) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {}
  }
  const deadline = Date.now() + 5_000;
  while (alive().length > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
}
