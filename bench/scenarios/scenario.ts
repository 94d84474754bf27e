import { type Spread, spread } from "../lib/stats.ts";
import type { OpenResult } from "../load/client-pool.ts";
import type { BenchDatabase, BenchPostgres } from "../setup/postgres.ts";
import type { Sizes } from "../sizes.ts";
import type { RunningSystem, SystemDefinition } from "../systems/system.ts";

export interface SystemSlot {
  def: SystemDefinition;
  database: BenchDatabase | undefined;
  port: number;
}

export interface BenchContext {
  sizes: Sizes;
  systems: SystemSlot[];
  postgres: BenchPostgres;
  log(message: string): void;
}

/** A figure's column in the report: which way is better, and how to print it. */
export interface Metric {
  key: string;
  label: string;
  unit: string;
  digits: number;
}

/** What a scenario hands to the report. */
export interface ScenarioResult {
  key: string;
  title: string;
  target: string;
  metrics: Metric[];
  /** The metric drawn in the chart and used for ratios. */
  primary: string;
  /** Per system (by label): each metric's spread over the runs. */
  figures: Map<string, Record<string, Spread>>;
  /** Ratios measured in this run, each a spread over the runs. */
  ratios: { label: string; value: Spread }[];
  /** Target met or missed, and by how much. */
  verdicts: string[];
  /** Where the time or memory goes, and anything measured alongside. */
  notes: string[];
  /** Systems that failed to start, died or answered errors, and what happened (figure "–"). */
  failures: string[];
  /** Share of one core the load generator used (its busiest process), per run. */
  loadCpu: Spread;
}

/** Collects per-run values of each metric for each system, and per-run ratios. */
export class Measurements {
  private readonly values = new Map<string, Map<string, number[]>>();
  private readonly loadCpu: number[] = [];
  private readonly failed = new Map<string, string[]>();

  add(system: string, metric: string, value: number): void {
    let bySystem = this.values.get(system);
    if (!bySystem) {
      bySystem = new Map();
      this.values.set(system, bySystem);
    }
    const list = bySystem.get(metric) ?? [];
    list.push(value);
    bySystem.set(metric, list);
  }

  /**
   * Records that a system failed (in a run, or the whole scenario): it appears in the table
   * with "–" for whatever it did not measure, and the reason in the scenario's failures.
   */
  fail(system: string, why: string): void {
    if (!this.values.has(system)) this.values.set(system, new Map());
    const list = this.failed.get(system) ?? [];
    list.push(why);
    this.failed.set(system, list);
  }

  failures(): string[] {
    return [...this.failed].map(([system, whys]) => {
      const distinct = [...new Set(whys)];
      return `${system}: ${whys.length > 1 ? `failed ${whys.length} times: ` : ""}${distinct.join("; ")}`;
    });
  }

  /**
   * The scenario's verdicts if notify-bell measured `metric` at all; otherwise a verdict that
   * says it failed and why. Failed runs are added to the verdicts either way.
   */
  verdicts(metric: string, verdicts: string[]): string[] {
    const whys = this.failed.get(OURS) ?? [];
    if (this.runs(OURS, metric).length === 0)
      return [`failed: ${OURS} measured nothing (${whys.join("; ") || "no figure"})`];
    if (whys.length > 0)
      return [...verdicts, `failed in ${whys.length} run(s): ${[...new Set(whys)].join("; ")}`];
    return verdicts;
  }

  addLoadCpu(share: number): void {
    this.loadCpu.push(share);
  }

  runs(system: string, metric: string): number[] {
    return this.values.get(system)?.get(metric) ?? [];
  }

  figures(): Map<string, Record<string, Spread>> {
    const figures = new Map<string, Record<string, Spread>>();
    for (const [system, metrics] of this.values) {
      figures.set(
        system,
        Object.fromEntries([...metrics].map(([metric, values]) => [metric, spread(values)])),
      );
    }
    return figures;
  }

  /** `a ÷ b` for each run index where both were measured. */
  ratio(a: string, b: string, metric: string): Spread {
    const x = this.runs(a, metric);
    const y = this.runs(b, metric);
    const ratios: number[] = [];
    for (let i = 0; i < Math.min(x.length, y.length); i++)
      ratios.push((x[i] as number) / (y[i] as number));
    return spread(ratios);
  }

  /** notify-bell against every other system that measured the metric. */
  ratiosAgainstOthers(
    ours: string,
    metric: string,
    describe = (other: string) => `${ours} ÷ ${other}`,
  ): { label: string; value: Spread }[] {
    return [...this.values.keys()]
      .filter((system) => system !== ours && this.runs(system, metric).length > 0)
      .map((system) => ({ label: describe(system), value: this.ratio(ours, system, metric) }));
  }

  loadCpuSpread(): Spread {
    return spread(this.loadCpu);
  }
}

export const OURS = "notify-bell";

/** A fixed pause (streams settling, a gap between runs), shorter in quick mode. */
export function pause(sizes: Sizes, ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms * sizes.pauseScale));
}

/** A system that failed: did not start, died, or answered errors. The scenario goes on. */
export class SystemFailure extends Error {}

/** Starts a system, runs `body`, and always stops it. A failure propagates. */
export async function withSystem<T>(
  slot: SystemSlot,
  body: (system: RunningSystem) => Promise<T>,
): Promise<T> {
  const system = await slot.def.start({ database: slot.database, port: slot.port });
  try {
    return await body(system);
  } finally {
    await system.stop();
  }
}

/**
 * Starts a system, runs `body`, and always stops it. If the system does not start, dies, or
 * `body` throws, the failure is recorded in `m` (the system's figures stay "–" for what it
 * did not measure), logged, and `false` returned: the scenario goes on with the others.
 */
export async function measureSystem(
  context: BenchContext,
  m: Measurements,
  slot: SystemSlot,
  body: (system: RunningSystem) => Promise<void>,
  run?: number,
): Promise<boolean> {
  const label = slot.def.label;
  const when = run === undefined ? "" : ` (run ${run + 1})`;
  const record = (why: string, error?: unknown) => {
    m.fail(label, `${why}${when}`);
    context.log(`  ${label}: FAILED${when}: ${why}`);
    if (error instanceof Error && !(error instanceof SystemFailure) && error.stack)
      context.log(`    ${error.stack.split("\n").slice(0, 30).join("\n    ")}`);
  };
  let system: RunningSystem;
  try {
    system = await slot.def.start({ database: slot.database, port: slot.port });
  } catch (error) {
    record(`did not start: ${summarize(error)}`, error);
    return false;
  }
  try {
    await body(system);
    const died = system.failure();
    if (died) record(`stopped after measuring: ${oneLine(died)}`);
    return true;
  } catch (error) {
    const died = system.failure();
    record(died ? `died: ${oneLine(died)} (${summarize(error)})` : summarize(error), error);
    return false;
  } finally {
    const stopping = performance.now();
    await system.stop().catch((error: unknown) => context.log(`  ${label}: stop: ${error}`));
    const stopMs = performance.now() - stopping;
    if (stopMs > 2_000) context.log(`  ${label}: took ${(stopMs / 1000).toFixed(1)} s to stop`);
  }
}

/** Throws a SystemFailure if a process of the system has exited on its own. */
export function assertAlive(system: RunningSystem): void {
  const died = system.failure();
  if (died) throw new SystemFailure(`died: ${oneLine(died)}`);
}

/**
 * Throws a SystemFailure unless every stream opened: a peer that answers errors or stops
 * answering has failed the scenario, which says how far it got.
 */
export function assertOpened(system: RunningSystem, opened: OpenResult, wanted: number): void {
  if (opened.opened >= wanted && opened.failed === 0) return;
  const died = system.failure();
  throw new SystemFailure(
    `${died ? `died (${oneLine(died)}); ` : ""}${opened.opened.toLocaleString("en")} of ${wanted.toLocaleString("en")} streams opened, ${opened.failed.toLocaleString("en")} failed (${opened.errors.join("; ") || "no reason given"})`,
  );
}

/** The first line of an error, and the first later line that names an error. */
export function summarize(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return oneLine(text);
}

function oneLine(text: string): string {
  const lines = text.split("\n").map((line) => line.trim());
  const first = lines[0] ?? "";
  const cause = lines.slice(1).find((line) => /error|EADDR|ECONN|fatal|panic|refused/i.test(line));
  return (cause && !first.includes(cause) ? `${first} ${cause}` : first).slice(0, 400);
}

export function users(count: number, prefix = "u"): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}

export function kb(bytes: number): number {
  return bytes / 1024;
}
