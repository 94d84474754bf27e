import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { bunBin, repoRoot } from "../systems/service-process.ts";

/**
 * The bench's Node processes (stream clients, writers, the bridge, the Node baseline) are
 * TypeScript. Run through tsx, each start costs about half a second of CPU to transpile,
 * which adds up over hundreds of starts on a two-core machine and slows whatever is being
 * measured next to it. `buildNodeScripts` compiles them once per bench run (`bun build
 * --target=node`, packages left to node_modules); `nodeArgs` runs the compiled file, or the
 * source through tsx if there is none.
 */
const outDir = `${repoRoot}/node_modules/.cache/notify-bell-bench`;
const scripts = [
  "load/client-worker.ts",
  "load/writer-worker.ts",
  "systems/bridge-server.ts",
  "systems/node-baseline-server.ts",
];

export function buildNodeScripts(): void {
  rmSync(outDir, { recursive: true, force: true });
  execFileSync(
    bunBin,
    [
      "build",
      "--target=node",
      "--packages=external",
      `--root=${repoRoot}/bench`,
      `--outdir=${outDir}`,
      ...scripts.map((script) => `${repoRoot}/bench/${script}`),
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
}

/** Node's arguments for one of the scripts, named relative to bench/ (`load/client-worker.ts`). */
export function nodeArgs(script: string): string[] {
  const built = `${outDir}/${script.replace(/\.ts$/, ".js")}`;
  return existsSync(built) ? [built] : ["--import", "tsx", `${repoRoot}/bench/${script}`];
}
