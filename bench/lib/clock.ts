/**
 * Timestamps that compare across processes: `process.hrtime` in Node reads CLOCK_MONOTONIC,
 * which is one clock for the whole machine. (Bun's `process.hrtime` starts at its own
 * process's start, so every timestamp that crosses a process is taken in a Node worker.)
 */
export function nowNs(): bigint {
  return process.hrtime.bigint();
}

export function msBetween(from: bigint, to: bigint): number {
  return Number(to - from) / 1e6;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
