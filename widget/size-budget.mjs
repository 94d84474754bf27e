// Fails when the built widget, Lit included, grows past its budget: 20 kB minified + gzipped.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 20_000;
const file = new URL("./dist/notify-bell.js", import.meta.url);
const source = readFileSync(file);
const gzipped = gzipSync(source, { level: 9 }).length;
const verdict = gzipped <= BUDGET_BYTES ? "within" : "OVER";
console.log(
  `widget/dist/notify-bell.js: ${source.length} B minified, ${gzipped} B gzipped, ${verdict} the ${BUDGET_BYTES} B budget`,
);
if (gzipped > BUDGET_BYTES) process.exit(1);
