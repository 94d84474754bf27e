import type { Logger } from "../log.ts";
import { type ChangeLog, recipientKey } from "./change-log.ts";
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

/** Recipients per query when checking heads after a re-LISTEN. */
const CATCH_UP_BATCH = 1_000;
/** How often expired tokens are looked for: a stream outlives its token by less than this. */
const EXPIRY_CHECK_MS = 1_000;
/** Width of the expiry wheel's windows: a check reads the streams of the windows due. */
const EXPIRY_WINDOW_MS = 16_000;

/**
 * The open streams of this process, grouped by (tenant, recipient). The listener tells it
 * whom to wake; it never reads notifications itself. One timer sends every heartbeat, and
 * one ends the streams whose token has expired (a timer per stream cost memory per stream).
 */
export class Hub {
  private readonly groups = new Map<string, Set<Subscriber>>();
  private count = 0;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private expiryCheck: ReturnType<typeof setInterval> | undefined;
  private readonly expiring = new ExpiryWheel<Subscriber>(EXPIRY_WINDOW_MS);
  private readonly subscriberContext: SubscriberContext;

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
      for (const group of this.groups.values()) for (const subscriber of group) subscriber.ping();
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

  /** A NOTIFY arrived for this recipient (at `notifiedAt`, performance.now()). */
  wake(tenantId: string, recipient: string, notifiedAt = performance.now()): void {
    const group = this.groups.get(recipientKey(tenantId, recipient));
    if (group) for (const subscriber of group) subscriber.wake(notifiedAt);
  }

  /**
   * After the listener (re)connects: anything committed while it was not listening produced
   * no wake-up, so compare every recipient's head with its streams' cursors.
   */
  async catchUp(): Promise<void> {
    const keys = [...this.groups.keys()];
    for (let i = 0; i < keys.length; i += CATCH_UP_BATCH) {
      const batch = keys.slice(i, i + CATCH_UP_BATCH);
      const heads = await this.options.changeLog.heads(
        batch.map((key) => JSON.parse(key) as [string, string]),
      );
      for (const key of batch) {
        const head = heads.get(key) ?? 0;
        for (const subscriber of this.groups.get(key) ?? []) {
          if (subscriber.cursor < head) subscriber.wake();
        }
      }
    }
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
