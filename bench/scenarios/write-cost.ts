import { WriterPool } from "../load/writer-pool.ts";
import type { TableVariant } from "../setup/postgres.ts";
import { type BenchContext, Measurements, type ScenarioResult, users } from "./scenario.ts";

const WRITERS = 8;
const variants: { variant: TableVariant; label: string }[] = [
  { variant: "current-plain", label: "no trigger" },
  { variant: "current", label: "notify-bell's trigger" },
  { variant: "counter-rows-plain", label: "no trigger (0008 schema)" },
  { variant: "counter-rows", label: "counter rows (0008, before #11)" },
];

/**
 * 6. Cost to the tenant's write path: rows/s into `notify.notifications` at 8 writers, with
 * notify-bell's trigger and with no trigger on the same table (same columns, checks and
 * indexes); and the same for the counter-row design it replaced (issue #11). Single-row and
 * 20-row transactions (one INSERT statement each, recipients in random order, as a join
 * yields them). The variants take turns within each run. Failed transactions (deadlocks)
 * are counted.
 */
export async function writeCost(context: BenchContext): Promise<ScenarioResult> {
  const { sizes, log, postgres } = context;
  const m = new Measurements();
  const databases = new Map<TableVariant, string>();
  for (const { variant } of variants)
    databases.set(variant, (await postgres.createDatabase(variant)).url);
  const list = users(1_000, "w");
  const failed = new Map<string, number>();
  const committed = new Map<string, number>();
  for (let run = 0; run < sizes.runs; run++) {
    for (const rowsPerTx of [1, 20]) {
      for (const { variant, label } of variants) {
        const writers = new WriterPool(2);
        try {
          const result = await writers.blast({
            url: databases.get(variant) as string,
            tenant: "bench",
            users: list,
            seconds: sizes.writeSeconds,
            connections: WRITERS,
            rowsPerTx,
            prefix: `x${run}`,
            order: "any",
          });
          m.add(label, `rows${rowsPerTx}`, result.rows / result.seconds);
          failed.set(
            `${label}|${rowsPerTx}`,
            (failed.get(`${label}|${rowsPerTx}`) ?? 0) + result.failed,
          );
          committed.set(
            `${label}|${rowsPerTx}`,
            (committed.get(`${label}|${rowsPerTx}`) ?? 0) + result.commits,
          );
          log(
            `  ${label}, ${rowsPerTx}-row tx: ${(result.rows / result.seconds).toFixed(0)} rows/s, ${result.failed} failed`,
          );
        } finally {
          await writers.stop();
        }
      }
    }
  }
  const figures = m.figures();
  const ratios: { label: string; value: ReturnType<Measurements["ratio"]> }[] = [];
  const verdicts: string[] = [];
  const notes: string[] = [];
  for (const rowsPerTx of [1, 20]) {
    const metric = `rows${rowsPerTx}`;
    const current = m.ratio("notify-bell's trigger", "no trigger", metric);
    const before = m.ratio("counter rows (0008, before #11)", "no trigger (0008 schema)", metric);
    ratios.push({ label: `${rowsPerTx}-row tx: with trigger ÷ no trigger`, value: current });
    ratios.push({
      label: `${rowsPerTx}-row tx: counter rows (before #11) ÷ no trigger`,
      value: before,
    });
    const failures = (label: string) =>
      `${failed.get(`${label}|${rowsPerTx}`) ?? 0} of ${(failed.get(`${label}|${rowsPerTx}`) ?? 0) + (committed.get(`${label}|${rowsPerTx}`) ?? 0)}`;
    notes.push(
      `${rowsPerTx}-row transactions, recipients in any order: failed transactions (deadlocks) ${failures("notify-bell's trigger")} with notify-bell's trigger, ${failures("counter rows (0008, before #11)")} with the counter rows it replaced.`,
    );
    const failedNow = failed.get(`notify-bell's trigger|${rowsPerTx}`) ?? 0;
    verdicts.push(
      current.median >= 0.9 && failedNow === 0
        ? `met (${rowsPerTx}-row): ${current.median.toFixed(2)}× the plain table, no failed transaction (counter rows: ${before.median.toFixed(2)}×)`
        : `missed (${rowsPerTx}-row): ${current.median.toFixed(2)}× the plain table (target ≥ 0.9×), ${failedNow} failed (counter rows: ${before.median.toFixed(2)}×)`,
    );
  }
  return {
    key: "write-cost",
    title: "6. Cost to the tenant's write path",
    target:
      "rows/s with the trigger ≥ 0.9× without, 8 writers, 1- and 20-row transactions, recipients in any order, zero failed transactions",
    metrics: [
      { key: "rows1", label: "rows/s, 1-row tx", unit: "/s", digits: 0 },
      { key: "rows20", label: "rows/s, 20-row tx", unit: "/s", digits: 0 },
    ],
    primary: "rows1",
    figures,
    ratios,
    verdicts,
    notes,
    failures: [],
    loadCpu: m.loadCpuSpread(),
  };
}
