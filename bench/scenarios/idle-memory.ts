import { cpuMeter, rssBytes } from "../lib/proc-stats.ts";
import { ClientPool } from "../load/client-pool.ts";
import type { HeapStats } from "../systems/collect-garbage.ts";
import {
  assertAlive,
  assertOpened,
  type BenchContext,
  Measurements,
  measureSystem,
  OURS,
  pause,
  type ScenarioResult,
  users,
} from "./scenario.ts";

/**
 * 1. Idle memory per open stream: RSS of the stream-holding processes with N idle streams
 * minus RSS with none, both after a GC, divided by N. Each run starts the system afresh, so
 * freed-but-kept memory from an earlier run cannot hide the growth.
 */
export async function idleMemory(context: BenchContext): Promise<ScenarioResult> {
  const { sizes, log } = context;
  const m = new Measurements();
  const heapGrowth = new Map<string, Record<string, number>>();
  const list = users(sizes.memoryStreams, "m");
  for (let run = 0; run < sizes.runs; run++) {
    for (const slot of context.systems) {
      await measureSystem(
        context,
        m,
        slot,
        async (system) => {
          await system.prepare?.(list);
          const heapBefore = await system.collectGarbage?.();
          await pause(sizes, 300);
          const before = rssBytes(system.pids());
          const pool = new ClientPool(list.length);
          try {
            const meter = cpuMeter({ load: () => pool.pids });
            const opened = await pool.open(list.map((user) => system.target(user)));
            const cpu = meter.stop();
            assertOpened(system, opened, list.length);
            await pause(sizes, 1_000);
            const heapAfter = await system.collectGarbage?.();
            await pause(sizes, 300);
            const after = rssBytes(system.pids());
            assertAlive(system);
            const perStream = (after - before) / Math.max(1, opened.opened);
            m.add(slot.def.label, "perStreamKb", perStream / 1024);
            m.add(slot.def.label, "per10kMb", (perStream * 10_000) / 1024 / 1024);
            m.add(slot.def.label, "baseMb", before / 1024 / 1024);
            m.add(slot.def.label, "opened", opened.opened);
            m.addLoadCpu((cpu.load ?? 0) / pool.workers.length);
            if (heapBefore && heapAfter)
              heapGrowth.set(slot.def.label, heapDelta(heapBefore, heapAfter, opened.opened));
            log(
              `  ${slot.def.label}: ${opened.opened} streams, ${(perStream / 1024).toFixed(2)} KB each`,
            );
          } finally {
            await pool.stop();
          }
        },
        run,
      );
    }
  }
  const figures = m.figures();
  const ours = figures.get(OURS)?.perStreamKb?.median ?? Number.NaN;
  const raw = figures.get("raw Bun.serve")?.perStreamKb?.median ?? Number.NaN;
  const notes: string[] = [];
  for (const [system, growth] of heapGrowth) {
    notes.push(
      `${system}, JavaScript heap objects added per stream (bun:jsc heapStats after GC, last run): ${Object.entries(
        growth,
      )
        .map(([type, n]) => `${type} ${n.toFixed(1)}`)
        .join(", ")}`,
    );
  }
  return {
    key: "idle-memory",
    title: "1. Idle memory per open stream",
    target:
      "≤ 6 KB per stream (RSS growth per 10k streams, after GC), within 1.5× of raw Bun.serve",
    metrics: [
      { key: "perStreamKb", label: "KB per stream", unit: "KB", digits: 2 },
      { key: "per10kMb", label: "MB per 10k streams", unit: "MB", digits: 1 },
      { key: "baseMb", label: "RSS with no stream", unit: "MB", digits: 1 },
      { key: "opened", label: "streams", unit: "", digits: 0 },
    ],
    primary: "perStreamKb",
    figures,
    ratios: m.ratiosAgainstOthers(OURS, "perStreamKb"),
    verdicts: m.verdicts("perStreamKb", [
      ours <= 6
        ? `met: ${ours.toFixed(2)} KB per stream (target ≤ 6 KB)`
        : `missed: ${ours.toFixed(2)} KB per stream, ${(ours - 6).toFixed(2)} KB (${((ours / 6 - 1) * 100).toFixed(0)}%) over 6 KB`,
      ours <= raw * 1.5
        ? `met: ${(ours / raw).toFixed(2)}× raw Bun.serve (target ≤ 1.5×)`
        : `missed: ${(ours / raw).toFixed(2)}× raw Bun.serve (target ≤ 1.5×)`,
    ]),
    notes,
    failures: m.failures(),
    loadCpu: m.loadCpuSpread(),
  };
}

/** Object types whose count grew, per stream, largest first. */
function heapDelta(before: HeapStats, after: HeapStats, streams: number): Record<string, number> {
  const growth: [string, number][] = [];
  for (const [type, count] of Object.entries(after.objectTypeCounts)) {
    const added = (count - (before.objectTypeCounts[type] ?? 0)) / Math.max(1, streams);
    if (added >= 0.5) growth.push([type, added]);
  }
  growth.sort((a, b) => b[1] - a[1]);
  return Object.fromEntries([
    ...growth.slice(0, 12),
    ["(heap KB per stream)", (after.heapSize - before.heapSize) / 1024 / Math.max(1, streams)],
  ]);
}
