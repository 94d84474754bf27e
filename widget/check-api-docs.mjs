// Fails when widget/README's tables and widget/custom-elements.json disagree, or when the
// manifest is not what the analyzer makes of the source now: the README cannot drift from
// the element's doc header. Run by `npm run test:widget`.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";

const here = (file) => new URL(file, import.meta.url);
const committed = readFileSync(here("./custom-elements.json"), "utf8");

// The manifest is current: analysing the source again gives the committed file. The
// analyzer takes its output folder relative to the working directory.
const out = "node_modules/.cache/notify-bell-cem";
rmSync(out, { recursive: true, force: true });
execFileSync("npx", ["cem", "analyze", "--config", "widget/custom-elements-manifest.config.mjs"], {
  stdio: "ignore",
  env: { ...process.env, CEM_OUTDIR: out },
});
const fresh = readFileSync(`${out}/custom-elements.json`, "utf8");
const problems = [];
// Compared as data: the committed file is formatted by biome, the analyzer's is not.
if (JSON.stringify(JSON.parse(fresh)) !== JSON.stringify(JSON.parse(committed))) {
  problems.push("widget/custom-elements.json is stale: run `npm run build:manifest`");
}

const manifest = JSON.parse(committed);
const element = manifest.modules
  .flatMap((m) => m.declarations ?? [])
  .find((d) => d.tagName === "notify-bell");
const readme = readFileSync(here("./README.md"), "utf8");

/** The backticked names in the first `column` of the table under `heading`. */
function column(heading, index = 0) {
  const section = readme.split(`## ${heading}`)[1]?.split("\n## ")[0] ?? "";
  const rows = section.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| -"));
  return rows
    .slice(1)
    .flatMap((row) => [...(row.split("|")[index + 1] ?? "").matchAll(/`([^`]+)`/g)])
    .map((m) => m[1].replace(/\(\)$/, ""));
}

function compare(what, documented, declared) {
  const doc = new Set(documented);
  const code = new Set(declared);
  for (const name of code)
    if (!doc.has(name)) problems.push(`${what} \`${name}\` is not in widget/README.md`);
  for (const name of doc)
    if (!code.has(name))
      problems.push(`${what} \`${name}\` is in widget/README.md, not in the element`);
}

const publicMembers = element.members.filter(
  (m) => !m.static && m.privacy !== "private" && m.privacy !== "protected",
);
compare(
  "attribute",
  column("Attributes and properties", 0),
  element.attributes.map((a) => a.name),
);
compare(
  "property",
  column("Attributes and properties", 1),
  publicMembers.map((m) => m.name),
);
compare(
  "event",
  column("Events", 0),
  element.events.map((e) => e.name),
);
compare(
  "custom property",
  column("Styling", 0),
  element.cssProperties.map((p) => p.name),
);
const parts = readme.match(/Parts, for `notify-bell::part\(name\)`:([^.]*)\./)?.[1] ?? "";
compare(
  "part",
  [...parts.matchAll(/`([^`]+)`/g)].map((m) => m[1]),
  element.cssParts.map((p) => p.name),
);

if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("widget/README.md matches custom-elements.json");
