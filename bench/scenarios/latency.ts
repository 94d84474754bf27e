import { cpuMeter } from "../lib/proc-stats.ts";
import { quantile } from "../lib/stats.ts";
import { ClientPool } from "../load/client-pool.ts";
import { WriterPool } from "../load/writer-pool.ts";
import {
  assertAlive,
  assertOpened,
  type BenchContext,
  Measurements,
  measureSystem,
  OURS,
  pause,
  type ScenarioResult,
} from "./scenario.ts";

/**
 * 3. Latency from INSERT commit to the client having the event: one subscriber, 10 inserts/s,
 * each an autocommit INSERT. Measured from the moment the writer has the commit's
 * acknowledgement to the moment the client process reads the event's bytes (one machine-wide
 * monotonic clock). For raw Bun.serve (no database) it is from sending the HTTP publish.
 */
export async function latency(context: BenchContext): Promise<ScenarioResult> {
  const { sizes, log } = context;
  const m = new Measurements();
  const accounts: string[] = [];
  for (let run = 0; run < sizes.runs; run++) {
    for (const slot of context.systems) {
      await measureSystem(
        context,
        m,
        slot,
        async (system) => {
          const user = `lat${run}`;
          await system.prepare?.([user]);
          const pool = new ClientPool(1);
          const writers = new WriterPool(1);
          try {
            assertOpened(system, await pool.open([system.target(user)]), 1);
            await pause(sizes, 300);
            const meter = cpuMeter({ load: () => [...pool.pids, ...writers.pids] });
            const { marks } = await writers.first.request<{ marks: [string, number, number][] }>({
              cmd: "paced",
              ...system.feed,
              user,
              count: sizes.latencyInserts,
              rate: 10,
              prefix: `l${run}`,
            });
            await pause(sizes, 200);
            const cpu = meter.stop();
            assertAlive(system);
            const { streams } = await pool.take();
            const arrived = new Map(streams.flatMap((s) => s.deliveries));
            const latencies: number[] = [];
            for (const [marker, before, after] of marks) {
              const at = arrived.get(marker);
              if (at === undefined) continue;
              latencies.push((at - (slot.def.usesDatabase ? after : before)) / 1e6);
            }
            m.add(slot.def.label, "p50", quantile(latencies, 0.5));
            m.add(slot.def.label, "p99", quantile(latencies, 0.99));
            m.add(slot.def.label, "max", quantile(latencies, 1));
            m.add(slot.def.label, "lost", marks.length - latencies.length);
            m.addLoadCpu(cpu.load ?? 0);
            if (run === 0 && system.account)
              accounts.push(`${slot.def.label}, run 1: ${await system.account()}`);
            log(
              `  ${slot.def.label}: p50 ${quantile(latencies, 0.5).toFixed(2)} ms, p99 ${quantile(latencies, 0.99).toFixed(2)} ms, ${latencies.length}/${marks.length}`,
            );
          } finally {
            await pool.stop();
            await writers.stop();
          }
        },
        run,
      );
    }
  }
  const figures = m.figures();
  const p50 = figures.get(OURS)?.p50?.median ?? Number.NaN;
  const p99 = figures.get(OURS)?.p99?.median ?? Number.NaN;
  return {
    key: "latency",
    title: "3. Latency, INSERT commit → client",
    target: "one subscriber, 10 inserts/s: p50 ≤ 1 ms, p99 ≤ 5 ms",
    metrics: [
      { key: "p50", label: "p50", unit: "ms", digits: 2 },
      { key: "p99", label: "p99", unit: "ms", digits: 2 },
      { key: "max", label: "max", unit: "ms", digits: 2 },
      { key: "lost", label: "lost", unit: "", digits: 0 },
    ],
    primary: "p50",
    figures,
    ratios: [
      ...m.ratiosAgainstOthers(OURS, "p50", (other) => `p50: ${OURS} ÷ ${other}`),
      ...m.ratiosAgainstOthers(OURS, "p99", (other) => `p99: ${OURS} ÷ ${other}`),
    ],
    verdicts: m.verdicts("p50", [
      p50 <= 1
        ? `met: p50 ${p50.toFixed(2)} ms (≤ 1 ms)`
        : `missed: p50 ${p50.toFixed(2)} ms, ${(p50 - 1).toFixed(2)} ms over 1 ms`,
      p99 <= 5
        ? `met: p99 ${p99.toFixed(2)} ms (≤ 5 ms)`
        : `missed: p99 ${p99.toFixed(2)} ms, ${(p99 - 5).toFixed(2)} ms over 5 ms`,
    ]),
    failures: m.failures(),
    notes: [
      "raw Bun.serve has no database: its figure is HTTP publish → client, the floor for the send path alone.",
      ...accounts,
    ],
    loadCpu: m.loadCpuSpread(),
  };
}
