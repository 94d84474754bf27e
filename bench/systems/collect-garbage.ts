import { existsSync, readFileSync, rmSync } from "node:fs";
import { sleep } from "../lib/clock.ts";

/** Heap statistics of a Bun process, as `bun:jsc`'s heapStats() reports them. */
export interface HeapStats {
  heapSize: number;
  objectCount: number;
  objectTypeCounts: Record<string, number>;
}

/**
 * Signals a process whose runtime collects garbage on SIGUSR2 (see gc-preload.ts and the Node
 * baseline), then waits for it to finish: until it writes `statsPath`, or a fixed pause.
 */
export async function collectGarbage(
  pid: number,
  statsPath?: string,
): Promise<HeapStats | undefined> {
  if (statsPath) rmSync(statsPath, { force: true });
  process.kill(pid, "SIGUSR2");
  if (!statsPath) {
    await sleep(1_000);
    return undefined;
  }
  const deadline = Date.now() + 10_000;
  while (!existsSync(statsPath) && Date.now() < deadline) await sleep(50);
  await sleep(100);
  try {
    return JSON.parse(readFileSync(statsPath, "utf8")) as HeapStats;
  } catch {
    return undefined;
  }
}
