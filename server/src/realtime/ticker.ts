import postgres from "postgres";
import { errorFields, type Logger } from "../log.ts";
import { withDeadline } from "./read-deadline.ts";

export interface TickerOptions {
  /** The owner's database URL: `notify.tick()` and `notify.prune_ticks()` are the owner's. */
  url: string;
  log: Logger;
  /** Poll interval right after a tick; it doubles while nothing changes, up to `maxPollMs`. */
  minPollMs: number;
  maxPollMs: number;
  /** How long ticks (and so stream cursors) are kept. */
  keepTicksMs: number;
  /**
   * A query without an answer by then fails, and the ticker starts over on a new connection
   * (`read-deadline.ts`): a tick left pending for good would stop delivery on every instance,
   * and keep the lock that lets another instance take over.
   */
  deadlineMs: number;
}

/** Any 64-bit number unique to this purpose: one ticker at a time across instances. */
const TICKER_LOCK = 7_316_402_121;
/** How often an instance that is not the ticker checks whether the ticker went away. */
const STANDBY_MS = 1_000;
const PRUNE_EVERY_MS = 60_000;

/**
 * Records ticks (migration 0011): snapshots that stream cursors name. Tenants' transactions
 * send no NOTIFY and take no lock; instead one server instance at a time (a session advisory
 * lock) asks `notify.tick()` every few milliseconds whether anything became visible, and if
 * so it records a tick and NOTIFYs every instance from its own transaction. A poll that finds
 * the database's snapshot unchanged scans nothing. The others stand by and take over within
 * STANDBY_MS of the ticker's connection ending.
 *
 * Correctness does not rest on there being one ticker: `notify.tick()` serialises tick writers
 * itself. The lock only saves the others' polling.
 */
export class Ticker {
  private running = false;
  private connection: postgres.Sql | undefined;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly options: TickerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoff = 100;
    while (this.running) {
      try {
        await this.serve();
        backoff = 100;
      } catch (error) {
        if (!this.running) break;
        this.options.log.warn("ticker lost its connection; retrying", {
          ...errorFields(error),
          retryInMs: backoff,
        });
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      } finally {
        await this.connection?.end({ timeout: 0 }).catch(() => {});
        this.connection = undefined;
      }
    }
  }

  /** One connection's life: stand by until it holds the lock, then tick until it fails. */
  private async serve(): Promise<void> {
    const { url, minPollMs, maxPollMs, keepTicksMs, deadlineMs, log } = this.options;
    let closed = false;
    const sql = postgres(url, {
      max: 1,
      idle_timeout: 0,
      max_lifetime: null,
      connect_timeout: 10,
      fetch_types: false,
      onnotice: () => {},
      connection: { application_name: "notify-bell-ticker" },
      onclose: () => {
        closed = true;
      },
    });
    this.connection = sql;
    // The lock belongs to the session: if the connection is replaced, it is gone.
    const check = () => {
      if (closed) throw new Error("ticker connection closed");
    };
    while (this.running) {
      const [lock] = await withDeadline(
        sql<{ held: boolean }[]>`SELECT pg_try_advisory_lock(${TICKER_LOCK}) AS held`,
        deadlineMs,
        "taking the ticker lock",
      );
      check();
      if (lock?.held) break;
      await this.sleep(STANDBY_MS);
    }
    if (!this.running) return;
    log.info("ticker started on this instance");
    let seen: string | null = null;
    let pollMs = minPollMs;
    let prunedAt = 0;
    while (this.running) {
      const rows: { tick: string | null; seen: string | null }[] = await withDeadline(
        sql<{ tick: string | null; seen: string | null }[]>`
          SELECT tick::text, seen FROM notify.tick(${seen})`,
        deadlineMs,
        "recording a tick",
      );
      check();
      const row = rows[0];
      seen = row?.seen ?? null;
      pollMs = row?.tick ? minPollMs : Math.min(pollMs * 2, maxPollMs);
      if (Date.now() - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = Date.now();
        await withDeadline(
          sql`SELECT notify.prune_ticks(make_interval(secs => ${keepTicksMs / 1000}))`,
          deadlineMs,
          "pruning ticks",
        );
      }
      await this.sleep(pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
