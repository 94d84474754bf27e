import { type Spread, spread } from "../lib/stats.ts";
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
  /** Share of one core the load generator used (its busiest process), per run. */
  loadCpu: Spread;
}

/** Collects per-run values of each metric for each system, and per-run ratios. */
export class Measurements {
  private readonly values = new Map<string, Map<string, number[]>>();
  private readonly loadCpu: number[] = [];

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

/** Starts a system, runs `body`, and always stops it. */
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

export const OURS = "notify-bell";

export function users(count: number, prefix = "u"): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}

export function kb(bytes: number): number {
  return bytes / 1024;
}
