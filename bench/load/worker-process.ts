import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { nodeArgs } from "../lib/node-script.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * A load-generator process (Node, TypeScript through tsx) driven by JSON lines: each request
 * carries an `id`, each reply the same `id`. Load runs outside the orchestrator so its CPU
 * can be measured on its own and never competes with the orchestrator's bookkeeping.
 */
export class WorkerProcess {
  readonly child: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private readonly exited: Promise<void>;
  private stderr = "";

  constructor(readonly script: string) {
    this.child = spawn("node", nodeArgs(`load/${script}`), {
      cwd: root,
      stdio: ["pipe", "pipe", "pipe"],
    });
    createInterface({ input: this.child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const reply = JSON.parse(line) as { id: number; error?: string };
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.error) waiter.reject(new Error(`${script}: ${reply.error}`));
      else waiter.resolve(reply);
    });
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    this.exited = new Promise((resolve) => {
      this.child.once("exit", () => {
        for (const waiter of this.pending.values())
          waiter.reject(new Error(`${script} exited:\n${this.stderr}`));
        this.pending.clear();
        resolve();
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  request<T>(message: Record<string, unknown>, timeoutMs = 300_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`worker request ${String(message.cmd)} timed out`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.stdin?.write(`${JSON.stringify({ ...message, id })}\n`);
    });
  }

  /** Ends the process; safe to call twice. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    await this.exited;
  }
}

/**
 * Worker processes outlive the pool that used them: a pool takes idle ones first and gives
 * them back once they have closed everything, so a scenario does not wait for new processes
 * to start (a second or more each while the machine is busy).
 */
const idle = new Map<string, WorkerProcess[]>();

export function takeWorker(script: string): WorkerProcess {
  const list = idle.get(script) ?? [];
  for (let worker = list.pop(); worker; worker = list.pop()) if (worker.alive) return worker;
  return new WorkerProcess(script);
}

/** Gives back a worker that answered `close`; any other is stopped. */
export async function returnWorker(worker: WorkerProcess, closed: boolean): Promise<void> {
  if (!closed || !worker.alive) {
    await worker.stop();
    return;
  }
  const list = idle.get(worker.script) ?? [];
  list.push(worker);
  idle.set(worker.script, list);
}

/** Starts workers ahead of need (while Postgres starts, say). */
export function prewarmWorkers(counts: Record<string, number>): void {
  for (const [script, count] of Object.entries(counts)) {
    const list = idle.get(script) ?? [];
    while (list.length < count) list.push(new WorkerProcess(script));
    idle.set(script, list);
  }
}

export async function stopIdleWorkers(): Promise<void> {
  const all = [...idle.values()].flat();
  idle.clear();
  await Promise.all(all.map((worker) => worker.stop()));
}
