import { tmpdir } from "node:os";
import { join } from "node:path";
import { collectGarbage } from "./collect-garbage.ts";
import { bunBin, startService } from "./service-process.ts";
import type { SystemDefinition } from "./system.ts";

export const bunRaw: SystemDefinition = {
  key: "bun-raw",
  label: "raw Bun.serve",
  setup: "`Bun.serve` + ReadableStream per stream, no database (fed by HTTP POST)",
  usesDatabase: false,
  restartable: false,
  async start({ port }) {
    const statsPath = join(tmpdir(), `notify-bell-bench-heap-${port}.json`);
    const server = await startService(
      bunBin,
      ["--preload", "./bench/systems/gc-preload.ts", "bench/systems/bun-raw-server.ts"],
      { env: { PORT: String(port), BENCH_HEAP_STATS: statsPath }, ready: /bun-raw listening/ },
    );
    return {
      pids: () => [server.pid],
      feed: { url: `http://127.0.0.1:${port}/publish`, tenant: "" },
      target: (user) => ({ port, path: `/stream/${user}`, headers: {}, user }),
      collectGarbage: () => collectGarbage(server.pid, statsPath),
      failure: () => server.exitReason(),
      stop: () => server.stop("SIGKILL"),
    };
  },
};
