import { nowNs, sleep } from "../lib/clock.ts";
import { cpuMeter, postgresPids } from "../lib/proc-stats.ts";
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
  SystemFailure,
  users,
} from "./scenario.ts";

const WRITERS = 8;

/**
 * 5. Sustained delivery with zero loss: U users × T tabs open; 8 writers commit single-row
 * transactions for random users as fast as they can for S seconds. Delivered rows/s is
 * every committed row reaching every tab of its user, over the time from the first insert
 * to the last delivery. The ceiling is the same writers on a database with the same trigger
 * and no system reading, measured in the same run.
 */
export async function sustained(context: BenchContext): Promise<ScenarioResult> {
  const { sizes, log, postgres } = context;
  const m = new Measurements();
  const list = users(sizes.sustainedUsers, "s");
  const targets = list.flatMap((user) => Array.from({ length: sizes.sustainedTabs }, () => user));
  const ceilingDb = await postgres.createDatabase("current");
  const dbSystems = context.systems.filter((slot) => slot.def.usesDatabase);
  const cpuNotes: string[] = [];
  const lossNotes: string[] = [];
  for (let run = 0; run < sizes.runs; run++) {
    const writers = new WriterPool(2);
    try {
      const ceiling = await writers.blast({
        url: ceilingDb.url,
        tenant: "bench",
        users: list,
        seconds: sizes.sustainedSeconds,
        connections: WRITERS,
        rowsPerTx: 1,
        prefix: `c${run}`,
      });
      m.add("ceiling (no reader)", "rowsPerSecond", ceiling.rows / ceiling.seconds);
      log(`  ceiling: ${(ceiling.rows / ceiling.seconds).toFixed(0)} commits/s`);
    } finally {
      await writers.stop();
    }
    for (const slot of dbSystems) {
      await measureSystem(
        context,
        m,
        slot,
        async (system) => {
          await system.prepare?.(list);
          const pool = new ClientPool(targets.length);
          const blasters = new WriterPool(2);
          try {
            assertOpened(
              system,
              await pool.open(targets.map((user) => system.target(user))),
              targets.length,
            );
            await pause(sizes, 500);
            await pool.take();
            const meter = cpuMeter({
              load: () => [...pool.pids, ...blasters.pids],
              system: () => system.pids(),
              postgres: () => postgresPids(postgres.pid),
            });
            const start = Number(nowNs());
            const written = await blasters.blast({
              ...system.feed,
              users: list,
              seconds: sizes.sustainedSeconds,
              connections: WRITERS,
              rowsPerTx: 1,
              prefix: `r${run}`,
            });
            const expected = written.rows * sizes.sustainedTabs;
            const received: Map<number, Set<string>> = new Map();
            let duplicates = 0;
            let lastAt = start;
            let total = 0;
            // Waits until every tab has every row, for at most 15 s, and gives up sooner once
            // nothing new has arrived for 5 s.
            const deadline = performance.now() + 15_000;
            let progressAt = performance.now();
            let progressTotal = 0;
            let stalled = false;
            while (total < expected && performance.now() < deadline) {
              assertAlive(system);
              if (total > progressTotal) {
                progressTotal = total;
                progressAt = performance.now();
              } else if (performance.now() - progressAt > 5_000) {
                stalled = true;
                break;
              }
              const { streams } = await pool.take();
              streams.forEach((stream, i) => {
                let seen = received.get(i);
                if (!seen) {
                  seen = new Set();
                  received.set(i, seen);
                }
                for (const [marker, at] of stream.deliveries) {
                  if (seen.has(marker)) duplicates++;
                  else {
                    seen.add(marker);
                    total++;
                    lastAt = Math.max(lastAt, at);
                  }
                }
              });
              if (total < expected) await sleep(100);
            }
            const cpu = meter.stop();
            assertAlive(system);
            const { streams } = await pool.take();
            let lost = 0;
            streams.forEach((stream, i) => {
              lost += Math.max(
                0,
                (written.perUser[stream.user] ?? 0) - (received.get(i)?.size ?? 0),
              );
            });
            if (stalled && lost > 0)
              lossNotes.push(
                `${slot.def.label}, run ${run + 1}: stopped delivering; ${lost.toLocaleString("en")} of ${expected.toLocaleString("en")} events never arrived (nothing new for 5 s)`,
              );
            if (total === 0)
              throw new SystemFailure(
                `delivered none of the ${written.rows.toLocaleString("en")} rows committed (${expected.toLocaleString("en")} events for ${targets.length.toLocaleString("en")} open streams)`,
              );
            const seconds = (lastAt - start) / 1e9;
            // Rows every tab of their user has, per second (all committed rows when none is lost).
            m.add(slot.def.label, "rowsPerSecond", total / sizes.sustainedTabs / seconds);
            m.add(slot.def.label, "eventsPerSecond", total / seconds);
            m.add(slot.def.label, "lost", lost);
            m.add(slot.def.label, "duplicates", duplicates);
            m.add(slot.def.label, "commitsPerSecond", written.rows / written.seconds);
            m.addLoadCpu(Math.max(cpu.load ?? 0) / (pool.workers.length + blasters.workers.length));
            if (run === 0)
              cpuNotes.push(
                `${slot.def.label}: CPU while writing and delivering: system ${((cpu.system ?? 0) * 100).toFixed(0)}%, Postgres ${((cpu.postgres ?? 0) * 100).toFixed(0)}%, load generator ${((cpu.load ?? 0) * 100).toFixed(0)}% (of one core; the machine has 2)`,
              );
            log(
              `  ${slot.def.label}: ${(total / sizes.sustainedTabs / seconds).toFixed(0)} rows/s delivered to ${sizes.sustainedTabs} tabs (${(written.rows / written.seconds).toFixed(0)} commits/s while streaming), lost ${lost}, duplicates ${duplicates}`,
            );
          } finally {
            await pool.stop();
            await blasters.stop();
          }
        },
        run,
      );
    }
  }
  const figures = m.figures();
  const ceilingMedian = figures.get("ceiling (no reader)")?.rowsPerSecond?.median ?? Number.NaN;
  const ours = figures.get(OURS)?.rowsPerSecond?.median ?? Number.NaN;
  const lost = figures.get(OURS)?.lost?.max ?? Number.NaN;
  const duplicates = figures.get(OURS)?.duplicates?.max ?? Number.NaN;
  return {
    key: "sustained",
    title: "5. Sustained delivery with zero loss",
    target: `${list.length.toLocaleString("en")} users × ${sizes.sustainedTabs} tabs, ${WRITERS} writers: delivered ≥ 90% of the database's own commit ceiling with the trigger; nothing lost or duplicated`,
    metrics: [
      { key: "rowsPerSecond", label: "rows/s delivered", unit: "/s", digits: 0 },
      { key: "eventsPerSecond", label: "events/s (all tabs)", unit: "/s", digits: 0 },
      { key: "commitsPerSecond", label: "commits/s while streaming", unit: "/s", digits: 0 },
      { key: "lost", label: "lost", unit: "", digits: 0 },
      { key: "duplicates", label: "duplicates", unit: "", digits: 0 },
    ],
    primary: "rowsPerSecond",
    figures,
    ratios: [
      ...context.systems
        .filter((slot) => slot.def.usesDatabase)
        .map((slot) => ({
          label: `${slot.def.label} ÷ ceiling`,
          value: m.ratio(slot.def.label, "ceiling (no reader)", "rowsPerSecond"),
        })),
      ...m.ratiosAgainstOthers(OURS, "rowsPerSecond").filter((r) => !r.label.includes("ceiling")),
    ],
    verdicts: m.verdicts("rowsPerSecond", [
      ours >= 0.9 * ceilingMedian
        ? `met: ${((ours / ceilingMedian) * 100).toFixed(0)}% of the ceiling (≥ 90%)`
        : `missed: ${((ours / ceilingMedian) * 100).toFixed(0)}% of the ceiling, ${(90 - (ours / ceilingMedian) * 100).toFixed(0)} points under 90%`,
      lost === 0 && duplicates === 0
        ? "met: nothing lost or duplicated in any run"
        : `missed: up to ${lost} lost and ${duplicates} duplicated in a run`,
    ]),
    notes: [...lossNotes, ...cpuNotes],
    failures: m.failures(),
    loadCpu: m.loadCpuSpread(),
  };
}
