import { returnWorker, takeWorker, type WorkerProcess } from "./worker-process.ts";

/** Writer processes (tenant apps inserting rows); `blast` splits connections across them. */
export class WriterPool {
  readonly workers: WorkerProcess[];

  constructor(count: number) {
    this.workers = Array.from({ length: count }, () => takeWorker("writer-worker.ts"));
  }

  get pids(): number[] {
    return this.workers.map((worker) => worker.pid);
  }

  get first(): WorkerProcess {
    return this.workers[0] as WorkerProcess;
  }

  async blast(options: {
    url: string;
    tenant: string;
    users: string[];
    seconds: number;
    connections: number;
    rowsPerTx: number;
    prefix: string;
    order?: "sorted" | "any";
  }) {
    const per = Math.ceil(options.connections / this.workers.length);
    const results = await Promise.all(
      this.workers.map((worker, i) =>
        worker.request<{
          commits: number;
          rows: number;
          failed?: number;
          seconds: number;
          perUser: Record<string, number>;
        }>({
          cmd: "blast",
          ...options,
          connections: per,
          prefix: `${options.prefix}w${i}`,
        }),
      ),
    );
    const perUser: Record<string, number> = {};
    for (const result of results)
      for (const [user, n] of Object.entries(result.perUser))
        perUser[user] = (perUser[user] ?? 0) + n;
    return {
      commits: results.reduce((sum, r) => sum + r.commits, 0),
      rows: results.reduce((sum, r) => sum + r.rows, 0),
      failed: results.reduce((sum, r) => sum + (r.failed ?? 0), 0),
      seconds: Math.max(...results.map((r) => r.seconds)),
      perUser,
    };
  }

  /** Ends the database connections; the processes go back to the idle workers. */
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
