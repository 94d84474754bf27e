import { heapStats } from "bun:jsc";
import { writeFileSync } from "node:fs";

/**
 * Preloaded into Bun processes under test (`bun --preload`), changing nothing else: SIGUSR2
 * runs a full garbage collection, then writes the JavaScript heap's statistics (object counts
 * by type) to BENCH_HEAP_STATS, so a memory figure is taken after GC and can be explained.
 */
process.on("SIGUSR2", () => {
  Bun.gc(true);
  const path = process.env.BENCH_HEAP_STATS;
  if (path) writeFileSync(path, JSON.stringify(heapStats()));
});
