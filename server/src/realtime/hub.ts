import { errorFields, type Logger } from "../log.ts";
import type { ChangeLog } from "./change-log.ts";
import type { CloseReason } from "./close-reasons.ts";
import { ExpiryWheel } from "./expiry-wheel.ts";
import type { StreamMetrics } from "./stream-metrics.ts";
import { Subscriber, type SubscriberContext, type SubscriberOptions } from "./subscriber.ts";

export interface HubOptions {
  changeLog: ChangeLog;
  log: Logger;
  heartbeatMs: number;
  retryMs: number;
  replayLimit: number;
  metrics: StreamMetrics;
  /** Streams one user may hold in this process; one more closes the oldest. */
  maxStreamsPerUser: number;
}

export type OpenOptions = SubscriberOptions;

/** How often expired tokens are looked for: a stream outlives its token by less than this. */
const EXPIRY_CHECK_MS = 1_000;
/** Width of the expiry wheel's windows: a check reads the streams of the windows due. */
const EXPIRY_WINDOW_MS = 16_000;

/** The key of a (tenant, recipient) group. */
export function recipientKey(tenantId: string, recipient: string): string {
  return `${tenantId}\n${recipient}`;
}

/**
 * The open streams of this process, grouped by (tenant, recipient). The listener tells it
 * that a tick was recorded; it asks the change log whose changes the ticks since the last one
 * it saw hold (one query, ids only), and wakes those streams; it never reads notifications
 * itself. One timer sends every heartbeat (and moves idle streams' cursors up to the newest
 * tick), and one ends the streams whose token has expired (a timer per stream cost memory per
 * stream).
 *
 * What must stay true: `tick` moves only after every stream with a change up to it has been
 * woken, so a stream that was not woken has nothing up to `tick` (see Subscriber.advance).
 */
export class Hub {
  private readonly groups = new Map<string, Set<Subscriber>>();
  private count = 0;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private expiryCheck: ReturnType<typeof setInterval> | undefined;
  private readonly expiring = new ExpiryWheel<Subscriber>(EXPIRY_WINDOW_MS);
  private readonly subscriberContext: SubscriberContext;
  /** Every change up to this tick has woken its streams; undefined until the first catch-up. */
  private tick: number | undefined;
  private ticking: Promise<void> | undefined;
  private tickAgain = false;

  constructor(private readonly options: HubOptions) {
    const { changeLog, log, retryMs, replayLimit, metrics } = options;
    this.subscriberContext = {
      changeLog,
      log,
      retryMs,
      replayLimit,
      metrics,
      onClose: (closed, reason) => this.remove(closed, reason),
    };
  }

  get openStreams(): number {
    return this.count;
  }

  start(): void {
    this.heartbeat ??= setInterval(() => {
      const { tick } = this;
      for (const group of this.groups.values()) {
        for (const subscriber of group) {
          if (tick !== undefined) subscriber.advance(tick);
          subscriber.ping();
        }
      }
    }, this.options.heartbeatMs);
    this.expiryCheck ??= setInterval(() => {
      for (const subscriber of this.expiring.expired(Date.now())) subscriber.close("token_expired");
    }, EXPIRY_CHECK_MS);
  }

  /** Registers a stream before it reads its head, so no wake-up between the two is missed. */
  open(options: OpenOptions): Subscriber {
    const { metrics } = this.options;
    const subscriber = new Subscriber(options, this.subscriberContext);
    const key = recipientKey(options.tenantId, options.recipient);
    let group = this.groups.get(key);
    if (!group) {
      group = new Set();
      this.groups.set(key, group);
    }
    // A Set iterates in insertion order: the first is the oldest.
    const oldest =
      group.size >= this.options.maxStreamsPerUser ? group.values().next().value : undefined;
    oldest?.close("stream_limit");
    group.add(subscriber);
    this.expiring.add(subscriber);
    this.count++;
    metrics.streamOpened(options.tenantId);
    void subscriber.start();
    return subscriber;
  }

  /**
   * A tick was recorded (at `notifiedAt`, performance.now()). The payload is not trusted, nor
   * needed: the hub asks for whatever is new since its own last tick. A burst of notifications,
   * forged or not, costs at most one query in flight and one after it.
   */
  onTick(notifiedAt = performance.now()): void {
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = this.followTicks(notifiedAt).finally(() => {
      this.ticking = undefined;
    });
  }

  /**
   * After the listener (re)connects: anything recorded while it was not listening produced
   * no wake-up, so look now, and resolve once every stream with something new is woken.
   */
  async catchUp(): Promise<void> {
    await this.ticking;
    this.tickAgain = false;
    await this.wakeChanged(performance.now());
  }

  private async followTicks(notifiedAt: number): Promise<void> {
    try {
      do {
        this.tickAgain = false;
        await this.wakeChanged(notifiedAt);
      } while (this.tickAgain);
    } catch (error) {
      // The next tick or the listener's next catch-up looks again from the same tick.
      this.options.log.warn("reading changed recipients failed", errorFields(error));
    }
  }

  private async wakeChanged(notifiedAt: number): Promise<void> {
    const { head, fromKnown, recipients } = await this.options.changeLog.changedSince(this.tick);
    if (fromKnown) {
      for (const [tenantId, recipient] of recipients) {
        const group = this.groups.get(recipientKey(tenantId, recipient));
        if (group) for (const subscriber of group) subscriber.wake(head, notifiedAt);
      }
    } else {
      for (const group of this.groups.values()) {
        for (const subscriber of group) subscriber.wake(head);
      }
    }
    if (this.tick === undefined || head > this.tick) this.tick = head;
  }

  /**
   * Ends every stream for which `verdict` names a reason (a tenant was deleted or disabled,
   * a secret retired). Walks every stream: meant for rare events, not per notification.
   */
  closeWhere(verdict: (subscriber: Subscriber) => CloseReason | undefined): void {
    for (const group of [...this.groups.values()]) {
      for (const subscriber of [...group]) {
        const reason = verdict(subscriber);
        if (reason) subscriber.close(reason);
      }
    }
  }

  /** Ends every stream (for shutdown). Safe to call twice. */
  closeAll(reason: CloseReason): void {
    clearInterval(this.heartbeat);
    clearInterval(this.expiryCheck);
    this.heartbeat = this.expiryCheck = undefined;
    for (const group of [...this.groups.values()]) {
      for (const subscriber of [...group]) subscriber.close(reason);
    }
  }

  private remove(subscriber: Subscriber, reason: CloseReason | undefined): void {
    const key = recipientKey(subscriber.tenantId, subscriber.recipient);
    const group = this.groups.get(key);
    if (!group?.delete(subscriber)) return;
    this.expiring.delete(subscriber);
    this.count--;
    this.options.metrics.streamClosed(subscriber.tenantId, reason);
    if (group.size === 0) this.groups.delete(key);
  }
}
