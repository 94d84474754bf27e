import type { Delivery, StreamTarget } from "./sse-connection.ts";
import { returnWorker, takeWorker, type WorkerProcess } from "./worker-process.ts";

/** Streams per client process: well inside the 20,000 open files each process may hold. */
export const STREAMS_PER_PROCESS = 5_000;

export interface OpenResult {
  opened: number;
  failed: number;
  errors: string[];
  /** Streams started per second, from the first handshake to the last stream started. */
  acceptRate: number;
  elapsedMs: number;
}

export interface StreamDeliveries {
  user: string;
  open: boolean;
  deliveries: Delivery[];
}

/** Stream clients spread over several processes (at least two, at most 5,000 streams each). */
export class ClientPool {
  readonly workers: WorkerProcess[];

  constructor(streams: number) {
    const count = Math.max(2, Math.ceil(streams / STREAMS_PER_PROCESS));
    this.workers = Array.from({ length: count }, () => takeWorker("client-worker.ts"));
  }

  get pids(): number[] {
    return this.workers.map((worker) => worker.pid);
  }

  /** Opens the streams, split evenly across the processes, all at once. */
  async open(
    targets: StreamTarget[],
    options: {
      concurrency?: number;
      reconnect?: { minMs: number; maxMs: number; attempts: number };
    } = {},
  ): Promise<OpenResult> {
    const shares: StreamTarget[][] = this.workers.map(() => []);
    for (const [i, target] of targets.entries()) shares[i % shares.length]?.push(target);
    const startedAt = performance.now();
    const results = await Promise.all(
      this.workers.map((worker, i) =>
        worker.request<{
          opened: number;
          failed: number;
          errors: string[];
          firstReadyNs: number;
          lastReadyNs: number;
        }>({
          cmd: "open",
          targets: shares[i],
          concurrency: Math.ceil((options.concurrency ?? 256) / this.workers.length),
          reconnect: options.reconnect,
        }),
      ),
    );
    const elapsedMs = performance.now() - startedAt;
    const opened = results.reduce((sum, r) => sum + r.opened, 0);
    return {
      opened,
      failed: results.reduce((sum, r) => sum + r.failed, 0),
      errors: [...new Set(results.flatMap((r) => r.errors))].slice(0, 5),
      acceptRate: opened / (elapsedMs / 1000),
      elapsedMs,
    };
  }

  async take(): Promise<{ streams: StreamDeliveries[]; reconnects: number }> {
    const results = await Promise.all(
      this.workers.map((worker) =>
        worker.request<{ streams: StreamDeliveries[]; reconnects: number }>({ cmd: "take" }),
      ),
    );
    return {
      streams: results.flatMap((r) => r.streams),
      reconnects: results.reduce((sum, r) => sum + r.reconnects, 0),
    };
  }

  async openCount(): Promise<number> {
    const results = await Promise.all(
      this.workers.map((worker) => worker.request<{ open: number }>({ cmd: "count" })),
    );
    return results.reduce((sum, r) => sum + r.open, 0);
  }

  /** Closes every stream; the processes go back to the idle workers. */
  async stop(): Promise<void> {
    await Promise.all(
      this.workers.map(async (worker) => {
        const closed = await worker.request({ cmd: "close" }, 10_000).then(
          () => true,
          () => false,
        );
        await returnWorker(worker, closed);
      }),
    );
  }
}

/** Waits until `check` is true or `timeoutMs` passes; returns whether it became true. */
export async function until(check: () => Promise<boolean>, timeoutMs: number, everyMs = 50) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
