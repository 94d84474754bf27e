import { sleep } from "../lib/clock.ts";
import { cpuMeter } from "../lib/proc-stats.ts";
import { quantile } from "../lib/stats.ts";
import { ClientPool, type StreamDeliveries } from "../load/client-pool.ts";
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
  users,
} from "./scenario.ts";

/**
 * 4. Fan-out: N users each with one open stream; one INSERT statement (one transaction) adds
 * a row for every one of them. Per stream, the time from the commit's acknowledgement to the
 * event; p50, p99 and the last one. Each round is one run. A round waits at most 10 s plus
 * 1 s per 1,000 users for every stream to have its row (those that do not are "missing").
 */
export async function fanOut(context: BenchContext): Promise<ScenarioResult> {
  const { sizes, log } = context;
  const m = new Measurements();
  const list = users(sizes.fanOutUsers, "f");
  const cpuNotes: string[] = [];
  for (const slot of context.systems) {
    await measureSystem(context, m, slot, async (system) => {
      await system.prepare?.(list);
      const pool = new ClientPool(list.length);
      const writers = new WriterPool(1);
      try {
        const opened = await pool.open(
          list.map((user) => system.target(user)),
          { concurrency: 256 },
        );
        assertOpened(system, opened, list.length);
        await pause(sizes, 1_000);
        for (let round = 0; round < sizes.fanOutRounds; round++) {
          const marker = `f${round}`;
          const meter = cpuMeter({ load: () => pool.pids, system: () => system.pids() });
          const { after, before } = await writers.first.request<{ before: number; after: number }>({
            cmd: "batch",
            ...system.feed,
            users: list,
            marker,
          });
          const times = new Map<number, number>();
          const deadline = performance.now() + 10_000 + list.length;
          while (times.size < opened.opened && performance.now() < deadline) {
            await sleep(100);
            assertAlive(system);
            const { streams } = await pool.take();
            streams.forEach((stream: StreamDeliveries, i: number) => {
              for (const [mark, at] of stream.deliveries) if (mark === marker) times.set(i, at);
            });
          }
          const cpu = meter.stop();
          const from = slot.def.usesDatabase ? after : before;
          const latencies = [...times.values()].map((at) => (at - from) / 1e6);
          m.add(slot.def.label, "p50", quantile(latencies, 0.5));
          m.add(slot.def.label, "p99", quantile(latencies, 0.99));
          m.add(slot.def.label, "last", quantile(latencies, 1));
          m.add(slot.def.label, "commitMs", (after - before) / 1e6);
          m.add(slot.def.label, "missing", opened.opened - latencies.length);
          m.addLoadCpu((cpu.load ?? 0) / pool.workers.length);
          if (round === 0)
            cpuNotes.push(
              `${slot.def.label}: during a round, system processes used ${((cpu.system ?? 0) * 100).toFixed(0)}% of a core; the INSERT of ${list.length} rows took ${((after - before) / 1e6).toFixed(0)} ms to commit`,
            );
          log(
            `  ${slot.def.label}: p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms, last ${quantile(latencies, 1).toFixed(1)} ms (${latencies.length}/${opened.opened})`,
          );
          await pause(sizes, 500);
        }
        if (system.account)
          cpuNotes.push(`${slot.def.label}, all rounds: ${await system.account()}`);
      } finally {
        await pool.stop();
        await writers.stop();
      }
    });
  }
  const figures = m.figures();
  const p99 = figures.get(OURS)?.p99?.median ?? Number.NaN;
  return {
    key: "fan-out",
    title: `4. Fan-out to ${list.length.toLocaleString("en")} users`,
    target: `one insert each for ${list.length.toLocaleString("en")} connected users at once: p99 ≤ 50 ms until they have it`,
    metrics: [
      { key: "p50", label: "p50", unit: "ms", digits: 1 },
      { key: "p99", label: "p99", unit: "ms", digits: 1 },
      { key: "last", label: "last", unit: "ms", digits: 1 },
      { key: "commitMs", label: "INSERT+commit", unit: "ms", digits: 1 },
      { key: "missing", label: "missing", unit: "", digits: 0 },
    ],
    primary: "p99",
    figures,
    ratios: m.ratiosAgainstOthers(OURS, "p99", (other) => `p99: ${OURS} ÷ ${other}`),
    verdicts: m.verdicts("p99", [
      p99 <= 50
        ? `met: p99 ${p99.toFixed(1)} ms (≤ 50 ms)`
        : `missed: p99 ${p99.toFixed(1)} ms, ${(p99 / 50).toFixed(1)}× the 50 ms target`,
    ]),
    failures: m.failures(),
    notes: cpuNotes,
    loadCpu: m.loadCpuSpread(),
  };
}
