/**
 * The widget's bytes on the wire, always of a fresh build of the current source (a stale
 * widget/dist would report an old size): raw, gzip -9 and brotli q11 of each file the build
 * writes. Scenario 8 uses it; it also runs alone, without Postgres or any system under test:
 * `node --import tsx bench/widget-size.ts`.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/**
 * What `npm run build:widget` writes: first `/widget.js` (what every page loads), then the
 * inbox panel's module it imports on the first open (`widget-inbox.<hash>.js`), both with a
 * budget in widget/size-budget.mjs; then the one-file element and the headless client.
 */
function widgetFiles(): string[] {
  const dist = readdirSync(`${repoRoot}/widget/dist`);
  const inbox = dist.filter((file) => /^widget-inbox\.[0-9a-f]{16}\.js$/.test(file));
  return ["notify-bell.js", ...inbox, "notify-bell.element.js", "notify-client.js"];
}

export interface WidgetSize {
  file: string;
  raw: number;
  gzip: number;
  brotli: number;
}

export function buildAndMeasureWidget(): WidgetSize[] {
  execFileSync("npm", ["run", "build:widget"], { cwd: repoRoot, stdio: "ignore" });
  return widgetFiles().map((file) => {
    const source = readFileSync(`${repoRoot}/widget/dist/${file}`);
    return {
      file,
      raw: source.length,
      gzip: gzipSync(source, { level: 9 }).length,
      brotli: brotliCompressSync(source, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
      }).length,
    };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const { file, raw, gzip, brotli } of buildAndMeasureWidget()) {
    console.log(`${file}: ${raw} B minified, ${gzip} B gzip -9, ${brotli} B brotli 11`);
  }
}
