import { readdirSync, readFileSync } from "node:fs";

/** Memory and CPU of processes, read from /proc (Linux). */

const TICKS_PER_SECOND = 100;

function stat(pid: number): string[] | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may contain spaces: split after it.
    return raw.slice(raw.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** The pid and all its descendants. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const fields = stat(pid);
    if (!fields) continue;
    const parent = Number(fields[1]);
    const list = children.get(parent) ?? [];
    list.push(pid);
    children.set(parent, list);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Resident memory in bytes, summed over the pids (0 for a pid that is gone). */
export function rssBytes(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const match = /VmRSS:\s+(\d+) kB/.exec(status);
      if (match) total += Number(match[1]) * 1024;
    } catch {}
  }
  return total;
}

/** CPU seconds (user + system) used so far, summed over the pids. */
export function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const fields = stat(pid);
    if (fields) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / TICKS_PER_SECOND;
}

/** Every Postgres backend and auxiliary process of a postmaster. */
export function postgresPids(postmasterPid: number): number[] {
  return processTree(postmasterPid);
}

/**
 * Measures CPU use of named groups of processes over a window: call `stop()` for the share
 * of one core each group used (1.0 = one core fully busy).
 */
export function cpuMeter(groups: Record<string, () => readonly number[]>) {
  const start = performance.now();
  const before = Object.fromEntries(
    Object.entries(groups).map(([name, pids]) => [name, cpuSeconds(pids())]),
  );
  return {
    stop(): Record<string, number> {
      const seconds = (performance.now() - start) / 1000;
      return Object.fromEntries(
        Object.entries(groups).map(([name, pids]) => [
          name,
          seconds > 0 ? (cpuSeconds(pids()) - (before[name] ?? 0)) / seconds : 0,
        ]),
      );
    },
  };
}
