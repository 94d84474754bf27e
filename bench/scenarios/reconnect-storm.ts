import { nowNs, sleep } from "../lib/clock.ts";
import { cpuMeter } from "../lib/proc-stats.ts";
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
  users,
} from "./scenario.ts";

const TABS = 2;

/**
 * 7. Reconnect storm: N streams (two tabs per user) open; the server is stopped (SIGTERM),
 * one row per user is committed while it is down, and it is started again. Clients
 * reconnect as a browser does (after the stream's `retry`, 500 ms, with jitter up to
 * 1,000 ms) with their Last-Event-ID. Measured: time until every stream has its row, from
 * the stop and from the new process being ready; rows lost or delivered twice. A run waits
 * at most 15 s plus 2 s per 1,000 streams after the restart for every stream to catch up.
 */
export async function reconnectStorm(context: BenchContext): Promise<ScenarioResult> {
  const { sizes, log } = context;
  const m = new Measurements();
  const list = users(sizes.stormStreams / TABS, "r");
  const targets = list.flatMap((user) => Array.from({ length: TABS }, () => user));
  const skipped: string[] = [];
  const notes: string[] = [];
  for (const slot of context.systems) {
    if (!slot.def.usesDatabase) {
      skipped.push(`${slot.def.label}: no database, nothing to resume from`);
      continue;
    }
    if (!slot.def.restartable) {
      skipped.push(
        `${slot.def.label}: not measured: its streams resume from the proxy's own message buffer, which a restart empties; the bridge would need a recovery endpoint to replay from the table`,
      );
      continue;
    }
    await measureSystem(context, m, slot, async (system) => {
      const restart = system.restart;
      if (!restart) throw new Error(`${slot.def.label} is marked restartable but has no restart`);
      await system.prepare?.(list);
      for (let run = 0; run < sizes.runs; run++) {
        const pool = new ClientPool(targets.length);
        const writers = new WriterPool(1);
        try {
          const opened = await pool.open(
            targets.map((user) => system.target(user)),
            {
              concurrency: 256,
              reconnect: { minMs: 500, maxMs: 1_000, attempts: 60 },
            },
          );
          assertOpened(system, opened, targets.length);
          await pause(sizes, 1_000);
          await pool.take();
          const marker = `s${run}`;
          const meter = cpuMeter({ load: () => pool.pids });
          const stoppedAt = Number(nowNs());
          await restart.stop();
          await writers.first.request({ cmd: "batch", ...system.feed, users: list, marker });
          await restart.start();
          const upAt = Number(nowNs());
          const got = new Map<number, number>();
          let duplicates = 0;
          let reconnects = 0;
          const deadline = performance.now() + 15_000 + 2 * targets.length;
          while (got.size < opened.opened && performance.now() < deadline) {
            await sleep(100);
            assertAlive(system);
            const taken = await pool.take();
            reconnects = taken.reconnects;
            taken.streams.forEach((stream, i) => {
              for (const [mark, at] of stream.deliveries) {
                if (mark !== marker) continue;
                if (got.has(i)) duplicates++;
                else got.set(i, at);
              }
            });
          }
          await pause(sizes, 500);
          const late = await pool.take();
          late.streams.forEach((stream) => {
            for (const [mark] of stream.deliveries) if (mark === marker) duplicates++;
          });
          const cpu = meter.stop();
          const last = Math.max(...got.values());
          m.add(slot.def.label, "fromStop", (last - stoppedAt) / 1e9);
          m.add(slot.def.label, "fromReady", (last - upAt) / 1e9);
          m.add(slot.def.label, "downtime", (upAt - stoppedAt) / 1e9);
          m.add(slot.def.label, "lost", opened.opened - got.size);
          m.add(slot.def.label, "duplicates", duplicates);
          m.add(slot.def.label, "reconnects", reconnects);
          m.addLoadCpu((cpu.load ?? 0) / pool.workers.length);
          log(
            `  ${slot.def.label}: caught up ${((last - stoppedAt) / 1e9).toFixed(2)} s after the stop, ${((last - upAt) / 1e9).toFixed(2)} s after ready; lost ${opened.opened - got.size}, duplicates ${duplicates}, ${reconnects} reconnects`,
          );
        } finally {
          await pool.stop();
          await writers.stop();
        }
      }
      if (system.account)
        notes.push(`${slot.def.label}, after the last restart: ${await system.account()}`);
    });
  }
  const figures = m.figures();
  const fromStop = figures.get(OURS)?.fromStop?.median ?? Number.NaN;
  const lost = figures.get(OURS)?.lost?.max ?? Number.NaN;
  const duplicates = figures.get(OURS)?.duplicates?.max ?? Number.NaN;
  notes.push(...skipped);
  return {
    key: "reconnect-storm",
    title: "7. Reconnect storm after a restart",
    target: `${targets.length.toLocaleString("en")} streams resume with Last-Event-ID: every client caught up ≤ 5 s, nothing lost or duplicated`,
    metrics: [
      { key: "fromStop", label: "caught up, from stop", unit: "s", digits: 2 },
      { key: "fromReady", label: "caught up, from ready", unit: "s", digits: 2 },
      { key: "downtime", label: "stop → ready", unit: "s", digits: 2 },
      { key: "lost", label: "lost", unit: "", digits: 0 },
      { key: "duplicates", label: "duplicates", unit: "", digits: 0 },
      { key: "reconnects", label: "reconnects", unit: "", digits: 0 },
    ],
    primary: "fromStop",
    figures,
    ratios: m.ratiosAgainstOthers(OURS, "fromStop"),
    verdicts: m.verdicts("fromStop", [
      fromStop <= 5
        ? `met: every client caught up ${fromStop.toFixed(2)} s after the stop (≤ 5 s)`
        : `missed: ${fromStop.toFixed(2)} s after the stop, ${(fromStop - 5).toFixed(2)} s over 5 s`,
      lost === 0 && duplicates === 0
        ? "met: nothing lost or duplicated"
        : `missed: up to ${lost} lost and ${duplicates} duplicated in a run`,
    ]),
    notes,
    failures: m.failures(),
    loadCpu: m.loadCpuSpread(),
  };
}
