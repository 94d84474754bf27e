import type { Spread } from "../lib/stats.ts";
import type { ScenarioResult } from "../scenarios/scenario.ts";

export interface RunInfo {
  date: string;
  mode: string;
  machine: string[];
  commit: string;
  durationS: number;
  systems: { label: string; setup: string }[];
  /** Markdown, included as it is. */
  findings: string;
  /** Scenarios that stopped with an error before producing a result, and the error. */
  aborted: { key: string; why: string }[];
}

function figure(value: Spread | undefined, digits: number): string {
  if (!value || !Number.isFinite(value.median)) return "–";
  const f = (n: number) =>
    n.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return value.min === value.max
    ? f(value.median)
    : `${f(value.median)} (${f(value.min)}–${f(value.max)})`;
}

/** RESULTS.md: the run's facts, then each scenario's table, ratios, verdicts and notes. */
export function renderReport(info: RunInfo, results: ScenarioResult[]): string {
  const lines: string[] = [
    "# notify-bell benchmarks",
    "",
    `Run: ${info.date} (${info.mode}, ${info.durationS.toFixed(0)} s), \`npm run bench\` at commit \`${info.commit}\`.`,
    "",
    "Machine:",
    ...info.machine.map((line) => `- ${line}`),
    "",
    "Every figure is the median of the runs, with (min–max). Ratios are taken run by run within",
    "this one invocation (the machine is shared and noisy: absolute figures drift, ratios less).",
    "Clients and writers run in their own Node processes; their CPU use is reported per scenario.",
    "A system that did not start, died or answered errors in a scenario shows “–” there, with",
    "what happened under the scenario's “Failed”; the scenario goes on with the others.",
    "",
    "Systems, all fed by the project's own triggers on `notify.notifications`, one database each in",
    "one Postgres (notify-bell with every migration; the peers with the counter-row schema of",
    "migration 0008 that their servers were written for):",
    ...info.systems.map((s) => `- **${s.label}**: ${s.setup}`),
    "",
  ];
  if (info.findings) {
    lines.push("## Findings", "", info.findings, "");
  }
  lines.push("## Summary", "", "| Scenario | Target | Verdict |", "| --- | --- | --- |");
  for (const result of results)
    lines.push(`| ${result.title} | ${result.target} | ${result.verdicts.join("; ")} |`);
  for (const { key, why } of info.aborted) lines.push(`| ${key} | – | did not finish: ${why} |`);
  lines.push("");
  for (const result of results) {
    lines.push(
      `## ${result.title}`,
      "",
      `Target: ${result.target}.`,
      "",
      `![${result.title}](${result.key}.svg)`,
      "",
    );
    lines.push(
      `| System | ${result.metrics.map((m) => (m.unit ? `${m.label} (${m.unit})` : m.label)).join(" | ")} |`,
      `| --- | ${result.metrics.map(() => "---:").join(" | ")} |`,
    );
    for (const [system, figures] of result.figures) {
      lines.push(
        `| ${system} | ${result.metrics.map((m) => figure(figures[m.key], m.digits)).join(" | ")} |`,
      );
    }
    lines.push("");
    if (result.ratios.length > 0) {
      lines.push("Ratios (same run):", "");
      for (const ratio of result.ratios) lines.push(`- ${ratio.label}: ${figure(ratio.value, 2)}×`);
      lines.push("");
    }
    lines.push("Verdict:", "", ...result.verdicts.map((v) => `- ${v}`), "");
    if (result.failures.length > 0)
      lines.push(
        "Failed (figures “–” where nothing was measured):",
        "",
        ...result.failures.map((f) => `- ${f}`),
        "",
      );
    if (result.notes.length > 0) lines.push("Notes:", "", ...result.notes.map((n) => `- ${n}`), "");
    if (result.loadCpu.runs > 0)
      lines.push(
        `Load generator: each process used ${figure(
          {
            ...result.loadCpu,
            median: result.loadCpu.median * 100,
            min: result.loadCpu.min * 100,
            max: result.loadCpu.max * 100,
          },
          0,
        )}% of one core while measuring.`,
        "",
      );
  }
  return `${lines.join("\n")}\n`;
}
