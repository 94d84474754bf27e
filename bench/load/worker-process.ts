import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

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

  constructor(script: string) {
    this.child = spawn("node", ["--import", "tsx", `bench/load/${script}`], {
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

/** The worker side: answers each request line with the handler's result. */
export function serveRequests(handler: (message: Record<string, unknown>) => Promise<unknown>) {
  createInterface({ input: process.stdin }).on("line", (line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    handler(message).then(
      (result) =>
        process.stdout.write(`${JSON.stringify({ ...(result as object), id: message.id })}\n`),
      (error: unknown) =>
        process.stdout.write(
          `${JSON.stringify({ id: message.id, error: error instanceof Error ? error.stack : String(error) })}\n`,
        ),
    );
  });
  process.stdin.on("end", () => process.exit(0));
}
