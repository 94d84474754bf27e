import type { StreamTarget } from "../load/sse-connection.ts";
import type { BenchDatabase } from "../setup/postgres.ts";
import type { HeapStats } from "./collect-garbage.ts";

/** What a scenario needs from a running system under test. */
export interface RunningSystem {
  /** Processes that hold the streams: their memory and CPU are the system's. */
  pids(): number[];
  /** Where a user's stream is opened. */
  target(user: string): StreamTarget;
  /** Where writers put a user's notifications: Postgres rows, or an HTTP publish. */
  feed: { url: string; tenant: string };
  /** Prepares per-user credentials before streams for these users are opened. */
  prepare?(users: readonly string[]): Promise<void>;
  /** Asks the runtime to collect garbage before a memory reading; Bun reports its heap. */
  collectGarbage?(): Promise<HeapStats | undefined>;
  /** Stops the stream-holding process and starts it again (reconnect storm). */
  restart?: { stop(): Promise<void>; start(): Promise<void> };
  /** The system's own account of where the time went (notify-bell: its /metrics). */
  account?(): Promise<string>;
  /** Why the system is down, if one of its processes exited on its own; else undefined. */
  failure(): string | undefined;
  stop(): Promise<void>;
}

export interface SystemDefinition {
  key: string;
  label: string;
  /** One line on how it is set up, for the report. */
  setup: string;
  /** False for raw `Bun.serve`: no database, fed by HTTP. */
  usesDatabase: boolean;
  /** Whether its running system has `restart` (the reconnect storm measures only those). */
  restartable: boolean;
  start(context: { database: BenchDatabase | undefined; port: number }): Promise<RunningSystem>;
}
