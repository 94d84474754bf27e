import { sleep } from "../lib/clock.ts";
import { cpuMeter } from "../lib/proc-stats.ts";
import { ClientPool } from "../load/client-pool.ts";
import {
  assertAlive,
  type BenchContext,
  Measurements,
  measureSystem,
  OURS,
  pause,
  type ScenarioResult,
  users,
} from "./scenario.ts";

/**
 * 2. Capacity and accept rate: open as many streams as one process may hold (20,000 open
 * files here, less a margin for its own files and database connections), 512 handshakes in
 * flight, and count how many are still open a few seconds later. A system that refuses
 * streams is not a failed run here: how many it held is the figure (its accept rate is "–"
 * and the errors are noted); one that dies is.
 */
export async function capacity(context: BenchContext): Promise<ScenarioResult> {
  const { sizes, log } = context;
  const m = new Measurements();
  const list = users(sizes.capacityStreams, "c");
  const cpuNotes: string[] = [];
  const refusals: string[] = [];
  for (const slot of context.systems) {
    await measureSystem(context, m, slot, async (system) => {
      await system.prepare?.(list);
      for (let run = 0; run < sizes.runs; run++) {
        const pool = new ClientPool(list.length);
        try {
          await pause(sizes, 300);
          const meter = cpuMeter({ load: () => pool.pids, system: () => system.pids() });
          const opened = await pool.open(
            list.map((user) => system.target(user)),
            { concurrency: 512 },
          );
          const cpu = meter.stop();
          await sleep(sizes.quick ? 500 : 3_000);
          const held = await pool.openCount();
          assertAlive(system);
          m.add(slot.def.label, "held", held);
          if (opened.failed === 0) m.add(slot.def.label, "acceptRate", opened.acceptRate);
          else
            refusals.push(
              `${slot.def.label}, run ${run + 1}: ${opened.opened.toLocaleString("en")} of ${list.length.toLocaleString("en")} streams opened, ${opened.failed.toLocaleString("en")} failed (${opened.errors.join("; ")}); accept rate not counted`,
            );
          m.add(slot.def.label, "failed", opened.failed);
          m.add(slot.def.label, "systemCpu", cpu.system ?? 0);
          m.addLoadCpu((cpu.load ?? 0) / pool.workers.length);
          if (run === 0)
            cpuNotes.push(
              `${slot.def.label}: while connecting, system processes used ${((cpu.system ?? 0) * 100).toFixed(0)}% of a core, each client process ${(((cpu.load ?? 0) / pool.workers.length) * 100).toFixed(0)}%`,
            );
          log(
            `  ${slot.def.label}: ${held}/${list.length} held, ${opened.acceptRate.toFixed(0)} streams/s` +
              (opened.failed ? ` (${opened.failed} failed: ${opened.errors.join("; ")})` : ""),
          );
        } finally {
          await pool.stop();
        }
        if (run < sizes.runs - 1) await pause(sizes, 1_000);
      }
    });
  }
  const figures = m.figures();
  const held = figures.get(OURS)?.held?.median ?? 0;
  const rate = figures.get(OURS)?.acceptRate?.median ?? Number.NaN;
  return {
    key: "capacity",
    title: "2. Capacity and accept rate",
    target: `all ${list.length.toLocaleString("en")} streams held by one process; ≥ 2,000 new streams/s while connecting`,
    metrics: [
      { key: "held", label: "streams held", unit: "", digits: 0 },
      { key: "acceptRate", label: "new streams/s", unit: "/s", digits: 0 },
      { key: "failed", label: "failed", unit: "", digits: 0 },
      { key: "systemCpu", label: "system CPU (cores)", unit: "", digits: 2 },
    ],
    primary: "acceptRate",
    figures,
    ratios: m.ratiosAgainstOthers(OURS, "acceptRate"),
    verdicts: m.verdicts("held", [
      held >= list.length
        ? `met: ${held} of ${list.length} streams held`
        : `missed: ${held} of ${list.length} streams held`,
      Number.isNaN(rate)
        ? "missed: no run opened every stream, so no accept rate (see notes)"
        : rate >= 2_000
          ? `met: ${rate.toFixed(0)} new streams/s (target ≥ 2,000)`
          : `missed: ${rate.toFixed(0)} new streams/s, ${(((2_000 - rate) / 2_000) * 100).toFixed(0)}% under 2,000`,
    ]),
    notes: [...refusals, ...cpuNotes],
    failures: m.failures(),
    loadCpu: m.loadCpuSpread(),
  };
}
