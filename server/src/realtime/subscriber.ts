import type { Logger } from "../log.ts";
import { toNotificationJson } from "../notification-json.ts";
import type { ChangeLog } from "./change-log.ts";
import { type CloseReason, closeReasons } from "./close-reasons.ts";
import { encodeComment, encodeEvent } from "./sse-event.ts";
import type { StreamMetrics } from "./stream-metrics.ts";

/** Where a subscriber's bytes go. The HTTP layer implements it over a response body. */
export interface StreamSink {
  /** Queues bytes for the client; false once the client's unread buffer is over its limit. */
  write(chunk: string): boolean;
  /** Ends the response. Safe to call twice. */
  end(): void;
}

export interface SubscriberOptions {
  tenantId: string;
  recipient: string;
  /** The client's `Last-Event-ID`, untrusted and unparsed; undefined on a first connect. */
  lastEventId: string | undefined;
  /** When the token expires (ms since epoch): the hub ends the stream then. */
  expiresAt: number;
  /** Which credential authorised the stream (opaque here): see `Hub.closeWhere`. */
  keyId: string;
  sink: StreamSink;
}

/** What all subscribers of a hub share: one object, so each stream holds only a reference. */
export interface SubscriberContext {
  changeLog: ChangeLog;
  log: Logger;
  retryMs: number;
  replayLimit: number;
  metrics: StreamMetrics;
  onClose: (subscriber: Subscriber, reason: CloseReason | undefined) => void;
}

/** Rows read per query while catching up; a long replay takes several. */
const BATCH = 200;
/** A Last-Event-ID we accept: a short decimal (ids are per-recipient change numbers). */
const cursorPattern = /^(0|[1-9]\d{0,14})$/;

/**
 * One open stream: its recipient, its cursor, and the loop that brings it up to date.
 *
 * The cursor only moves forward, and only past rows already written to the sink, so
 * whatever wakes the subscriber (a NOTIFY, a catch-up after the listener reconnected, its own
 * start) the same query `seq > cursor` delivers each change exactly once, in commit order.
 * Wake-ups during a read are folded into one more read.
 */
export class Subscriber {
  readonly tenantId: string;
  readonly recipient: string;
  readonly expiresAt: number;
  readonly keyId: string;
  cursor = 0;
  private readonly sink: StreamSink;
  private readonly lastEventId: string | undefined;
  private started = false;
  private reading = false;
  private wokenWhileReading = false;
  private closed = false;
  /** Head at start: events up to it are replays of what committed before the stream opened. */
  private startHead = 0;
  /** When the earliest wake-up not yet served arrived (performance.now()). */
  private pendingSince: number | undefined;

  constructor(
    options: SubscriberOptions,
    private readonly context: SubscriberContext,
  ) {
    this.tenantId = options.tenantId;
    this.recipient = options.recipient;
    this.expiresAt = options.expiresAt;
    this.keyId = options.keyId;
    this.sink = options.sink;
    this.lastEventId = options.lastEventId;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends the opening lines (retry, cursor or reset), then whatever is past the cursor. */
  async start(): Promise<void> {
    const { changeLog, retryMs, replayLimit } = this.context;
    const { lastEventId } = this;
    let head: Awaited<ReturnType<ChangeLog["head"]>>;
    try {
      head = await changeLog.head(this.tenantId, this.recipient);
    } catch (error) {
      this.failed(error);
      return;
    }
    if (this.closed) return;
    this.startHead = head.lastSeq;

    const resume = lastEventId === undefined ? head.lastSeq : parseCursor(lastEventId);
    const resetReason =
      resume === undefined || resume > head.lastSeq
        ? "unknown_cursor"
        : head.lastSeq - resume > replayLimit
          ? "cursor_too_old"
          : undefined;
    if (resetReason) {
      // The client must refetch; from here on it follows the head.
      this.cursor = head.lastSeq;
      this.context.metrics.reset(resetReason);
      const data = JSON.stringify({ reason: resetReason, unreadCount: head.unreadCount });
      this.send(
        encodeEvent({ retry: retryMs }) +
          encodeEvent({ event: "reset", id: String(this.cursor), data }),
      );
    } else {
      // An id with no data: the browser records it as its last event id without dispatching
      // anything, so even a client that has seen nothing yet can resume from here.
      this.cursor = resume as number;
      this.send(encodeEvent({ retry: retryMs, id: String(resume) }));
    }
    this.started = true;
    this.wake();
  }

  /**
   * Something may have changed for this recipient: read past the cursor. `notifiedAt`
   * (performance.now() when the NOTIFY arrived) times the delivery.
   */
  wake(notifiedAt?: number): void {
    if (this.closed) return;
    if (notifiedAt !== undefined) this.pendingSince ??= notifiedAt;
    if (!this.started) return;
    if (this.reading) {
      this.wokenWhileReading = true;
      return;
    }
    void this.readChanges();
  }

  ping(): void {
    if (!this.closed) this.send(encodeComment("ping"));
  }

  /**
   * Ends the stream. With a reason, the client is told why before the body ends; without
   * one, the client has gone and there is no one to tell. Safe to call twice.
   */
  close(reason?: CloseReason): void {
    if (this.closed) return;
    this.closed = true;
    if (reason) {
      const { retry } = closeReasons[reason];
      this.sink.write(encodeEvent({ event: "close", data: JSON.stringify({ reason, retry }) }));
      this.context.log.info("stream closed", {
        reason,
        tenant: this.tenantId,
        cursor: this.cursor,
      });
    } else {
      this.context.log.debug("stream closed", { reason: "client_gone", tenant: this.tenantId });
    }
    this.sink.end();
    this.context.onClose(this, reason);
  }

  private async readChanges(): Promise<void> {
    this.reading = true;
    try {
      let more = true;
      while (more && !this.closed) {
        this.wokenWhileReading = false;
        const since = this.pendingSince;
        this.pendingSince = undefined;
        const { rows, unreadCount } = await this.context.changeLog.changesAfter(
          this.tenantId,
          this.recipient,
          this.cursor,
          BATCH,
        );
        if (this.closed) return;
        let chunk = "";
        for (const row of rows) {
          const event = Number(row.createdSeq) > this.cursor ? "notification" : "update";
          chunk += encodeEvent({
            event,
            id: row.seq,
            data: JSON.stringify({ ...toNotificationJson(row), unreadCount }),
          });
        }
        const last = rows.at(-1);
        if (last) {
          const replayed = rows.filter((row) => Number(row.seq) <= this.startHead).length;
          this.cursor = Number(last.seq);
          this.send(chunk);
          this.context.metrics.delivered(rows.length, replayed);
          if (since !== undefined)
            this.context.metrics.deliveryLatency((performance.now() - since) / 1000);
        }
        more = rows.length === BATCH || this.wokenWhileReading;
      }
    } catch (error) {
      this.failed(error);
    } finally {
      this.reading = false;
    }
  }

  private send(chunk: string): void {
    if (!this.sink.write(chunk)) this.close("slow_consumer");
  }

  private failed(error: unknown): void {
    this.context.log.warn("stream read failed", {
      tenant: this.tenantId,
      error: error instanceof Error ? error.message : String(error),
    });
    this.close("database_unavailable");
  }
}

function parseCursor(value: string): number | undefined {
  return cursorPattern.test(value) ? Number(value) : undefined;
}
