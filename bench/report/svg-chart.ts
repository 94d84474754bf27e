import type { Spread } from "../lib/stats.ts";

/**
 * A horizontal bar chart as SVG text: one bar per system at the median, a whisker from min to
 * max. Written by hand so the bench needs no charting dependency.
 */
export function barChart(
  title: string,
  unit: string,
  bars: { label: string; value: Spread }[],
): string {
  const width = 760;
  const left = 190;
  const right = 110;
  const rowHeight = 30;
  const top = 44;
  const plotted = bars.filter((bar) => Number.isFinite(bar.value.median));
  const height = top + rowHeight * plotted.length + 30;
  const max = Math.max(1e-9, ...plotted.map((bar) => bar.value.max));
  const x = (value: number) => left + ((width - left - right) * value) / max;
  const escapeXml = (text: string) =>
    text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const format = (value: number) =>
    value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
  const rows = plotted.map((bar, i) => {
    const y = top + i * rowHeight;
    const { median, min, max: high } = bar.value;
    const fill = bar.label === "notify-bell" ? "#2563eb" : "#9ca3af";
    return [
      `<text x="${left - 8}" y="${y + 18}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${left}" y="${y + 5}" width="${Math.max(1, x(median) - left).toFixed(1)}" height="18" fill="${fill}"/>`,
      `<line x1="${x(min).toFixed(1)}" x2="${x(high).toFixed(1)}" y1="${y + 14}" y2="${y + 14}" stroke="#111827" stroke-width="1.5"/>`,
      `<line x1="${x(min).toFixed(1)}" x2="${x(min).toFixed(1)}" y1="${y + 9}" y2="${y + 19}" stroke="#111827"/>`,
      `<line x1="${x(high).toFixed(1)}" x2="${x(high).toFixed(1)}" y1="${y + 9}" y2="${y + 19}" stroke="#111827"/>`,
      `<text x="${(x(high) + 6).toFixed(1)}" y="${y + 18}">${format(median)} ${escapeXml(unit)}</text>`,
    ].join("\n  ");
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="13" role="img">
  <title>${escapeXml(title)}</title>
  <rect width="100%" height="100%" fill="#ffffff"/>
  <text x="12" y="24" font-size="15" font-weight="600">${escapeXml(title)}</text>
  <text x="${width - 12}" y="24" text-anchor="end" fill="#6b7280">median of runs; whisker: min–max</text>
  ${rows.join("\n  ")}
</svg>
`;
}
