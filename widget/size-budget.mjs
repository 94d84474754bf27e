// Fails when a built part of the widget, Lit included, grows past its budget, minified +
// gzipped (docs/design/widget-chunks.md): `/widget.js`, what every page loads, 20 kB; the
// inbox panel's module, fetched on the first hover or open of a bell, 8 kB.
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const dist = new URL("./dist/", import.meta.url);
const inbox = readdirSync(dist).filter((file) => /^widget-inbox\.[0-9a-f]{16}\.js$/.test(file));
if (inbox.length !== 1) {
  console.error(`widget/dist: expected one widget-inbox.<hash>.js, found ${inbox.length}`);
  process.exit(1);
}
const budgets = [
  { file: "notify-bell.js", what: "the entry (/widget.js)", bytes: 20_000 },
  { file: inbox[0], what: "the inbox panel's module", bytes: 8_000 },
];
let over = false;
for (const { file, what, bytes } of budgets) {
  const source = readFileSync(new URL(file, dist));
  const gzipped = gzipSync(source, { level: 9 }).length;
  over ||= gzipped > bytes;
  console.log(
    `widget/dist/${file}, ${what}: ${source.length} B minified, ${gzipped} B gzipped, ${gzipped <= bytes ? "within" : "OVER"} the ${bytes} B budget`,
  );
}
if (over) process.exit(1);
