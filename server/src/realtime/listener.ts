import postgres from "postgres";
import { reconnectDelaySeconds } from "../db/client.ts";
import { errorFields, type Logger } from "../log.ts";

/**
 * Channels notified: `notify_bell_tick` by `notify.tick()` (migration 0011) when the ticker
 * records a tick, `notify_bell_tenants` by the tenants trigger (migration 0001).
 */
export const channels = { ticks: "notify_bell_tick", tenants: "notify_bell_tenants" } as const;

export type ListenerState = "connecting" | "listening" | "reconnecting" | "stopped";

export interface ListenerHandlers {
  /** A tick was recorded: some recipients' rows changed. */
  tick(): void;
  /** Some tenant was created, changed or deleted. */
  tenantsChanged(): void;
  /**
   * The connection is LISTENing again (or for the first time): whatever was committed while
   * it was not produced no notification, so catch up from the tables now.
   */
  caughtUp(): Promise<void>;
}

export interface ListenerOptions {
  url: string;
  probeMs: number;
  log: Logger;
  handlers: ListenerHandlers;
}

const MAX_BACKOFF_MS = 5_000;

/**
 * The one dedicated LISTEN connection, and the only code that knows about LISTEN.
 *
 * NOTIFY is only a wake-up: a notification sent while this connection is down is gone, so
 * after every (re)connect it LISTENs first, then has the tables caught up, and only then
 * reports "listening". A connection that silently stops answering (a stalled link looks
 * alive to TCP) is found by a probe query every `probeMs`, and replaced.
 *
 * postgres.js's own `sql.listen()` re-LISTENs after a reconnect but drops a channel for good
 * if that re-LISTEN fails (say, the database is still down), so reconnection is done here.
 */
export class Listener {
  private state: ListenerState = "connecting";
  private connection: postgres.Sql | undefined;
  private generation = 0;
  private probeTimer: ReturnType<typeof setInterval> | undefined;
  private firstListen: Promise<void> | undefined;

  constructor(private readonly options: ListenerOptions) {}

  get status(): ListenerState {
    return this.state;
  }

  /** Resolves once LISTENing and caught up for the first time. */
  start(): Promise<void> {
    this.firstListen ??= this.connectUntilListening();
    this.probeTimer ??= setInterval(() => void this.probe(), this.options.probeMs);
    return this.firstListen;
  }

  async stop(): Promise<void> {
    this.state = "stopped";
    clearInterval(this.probeTimer);
    this.generation++;
    await this.connection?.end({ timeout: 1 });
    this.connection = undefined;
  }

  private async connectUntilListening(): Promise<void> {
    let backoff = 100;
    while (this.state !== "stopped") {
      try {
        await this.connect();
        return;
      } catch (error) {
        this.options.log.warn("listener connect failed", {
          ...errorFields(error),
          retryInMs: backoff,
        });
        await Bun.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    await this.connection?.end({ timeout: 0 }).catch(() => {});
    const { handlers, log } = this.options;
    // `onnotify` is the option postgres.js's own `listen()` is built on; its types omit it.
    const options: postgres.Options<Record<string, never>> & {
      onnotify: (channel: string) => void;
    } = {
      max: 1,
      backoff: reconnectDelaySeconds,
      idle_timeout: 0,
      max_lifetime: null,
      connect_timeout: 10,
      fetch_types: false,
      onnotice: () => {},
      connection: { application_name: "notify-bell-listener" },
      onnotify: (channel) => {
        if (generation === this.generation) this.dispatch(channel);
      },
      onclose: () => {
        if (generation === this.generation) this.lost("connection closed");
      },
    };
    const connection = postgres(this.options.url, options);
    this.connection = connection;
    await connection`LISTEN notify_bell_tick`;
    await connection`LISTEN notify_bell_tenants`;
    handlers.tenantsChanged();
    await handlers.caughtUp();
    if (generation !== this.generation) throw new Error("replaced while catching up");
    this.state = "listening";
    log.info("listener listening");
  }

  private dispatch(channel: string): void {
    if (channel === channels.tenants) {
      this.options.handlers.tenantsChanged();
      return;
    }
    if (channel === channels.ticks) this.options.handlers.tick();
  }

  private async probe(): Promise<void> {
    const connection = this.connection;
    if (this.state !== "listening" || !connection) return;
    const generation = this.generation;
    const timeout = Bun.sleep(this.options.probeMs).then(() => "timeout" as const);
    const answer = connection`SELECT 1`.then(
      () => "ok" as const,
      () => "failed" as const,
    );
    const outcome = await Promise.race([answer, timeout]);
    if (outcome !== "ok" && generation === this.generation) this.lost(`probe ${outcome}`);
  }

  /**
   * Drops the current connection. A connect already under way sees the generation change
   * and starts over; otherwise a new connect loop starts here.
   */
  private lost(why: string): void {
    if (this.state === "stopped") return;
    this.generation++;
    const old = this.connection;
    this.connection = undefined;
    void old?.end({ timeout: 0 }).catch(() => {});
    if (this.state !== "listening") return;
    this.options.log.warn("listener lost its connection; reconnecting", { why });
    this.state = "reconnecting";
    void this.connectUntilListening();
  }
}
