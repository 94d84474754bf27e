import type { Logger } from "../log.ts";
import type {
  DeleteEventJson,
  NotificationEventJson,
  PreferencesEventJson,
} from "../notification-json.ts";
import type { Change, ChangeLog } from "./change-log.ts";
import { type CloseReason, closeReasons } from "./close-reasons.ts";
import { encodeComment, encodeEvent } from "./sse-event.ts";
import {
  atTick,
  formatCursor,
  isComplete,
  parseCursor,
  type StreamCursor,
} from "./stream-cursor.ts";
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

/** Changes read per query while catching up; a long replay takes several. */
const BATCH = 200;

/**
 * One open stream: its recipient, its cursor, and the loop that brings it up to date.
 *
 * The cursor names a tick (see `stream-cursor.ts`) and only moves forward, past changes
 * already written to the sink. Whatever wakes the subscriber (a tick, a catch-up after the
 * listener reconnected, its own start) it reads the changes between its cursor and the newest
 * tick it was told of, so each change goes out exactly once, in the order it became visible.
 * Wake-ups during a read are folded into one more read.
 */
export class Subscriber {
  readonly tenantId: string;
  readonly recipient: string;
  readonly expiresAt: number;
  readonly keyId: string;
  cursor: StreamCursor = atTick(0);
  private readonly sink: StreamSink;
  private readonly lastEventId: string | undefined;
  private started = false;
  private reading = false;
  private closed = false;
  /** The newest tick this stream was woken for: it reads up to there. */
  private target = 0;
  /** Head at start: changes up to it are replays of what committed before the stream opened. */
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
    // An empty Last-Event-ID is what a browser sends when it has none: a fresh start.
    const fresh = lastEventId === undefined || lastEventId === "";
    const resume = fresh ? undefined : parseCursor(lastEventId);
    let head: Awaited<ReturnType<ChangeLog["head"]>>;
    try {
      if (fresh) await changeLog.tickNow();
      head = await changeLog.head(this.tenantId, this.recipient, resume, replayLimit + 1);
    } catch (error) {
      this.failed(error);
      return;
    }
    if (this.closed) return;
    this.startHead = head.head;
    this.target = Math.max(this.target, head.head);

    const resetReason =
      fresh || (resume && head.known && head.backlog <= replayLimit)
        ? undefined
        : !resume || resume.to > head.head
          ? "unknown_cursor"
          : "cursor_too_old";
    if (resetReason) {
      // The client must refetch; from here on it follows the head.
      this.cursor = atTick(head.head);
      this.context.metrics.reset(resetReason);
      const { unreadCount, unseenCount, categoryCounts } = head;
      const data = JSON.stringify({
        reason: resetReason,
        unreadCount,
        unseenCount,
        categoryCounts,
      });
      this.send(
        encodeEvent({ retry: retryMs }) +
          encodeEvent({ event: "reset", id: formatCursor(this.cursor), data }),
      );
    } else {
      // An id with no data: the browser records it as its last event id without dispatching
      // anything, so even a client that has seen nothing yet can resume from here.
      this.cursor = resume ?? atTick(head.head);
      this.send(encodeEvent({ retry: retryMs, id: formatCursor(this.cursor) }));
    }
    this.started = true;
    this.wake(head.head);
  }

  /**
   * Tick `tick` may hold changes for this recipient: read up to it. `notifiedAt`
   * (performance.now() when the tick's NOTIFY arrived) times the delivery.
   */
  wake(tick: number, notifiedAt?: number): void {
    if (this.closed) return;
    if (tick > this.target) this.target = tick;
    if (notifiedAt !== undefined) this.pendingSince ??= notifiedAt;
    if (!this.started || this.reading) return;
    void this.readChanges();
  }

  /**
   * The hub has seen every change up to `tick` and none was for this stream: if the stream is
   * idle, its cursor moves there, and the client is told (an id line dispatches nothing), so a
   * reconnect after a quiet hour names a tick that is still kept.
   */
  advance(tick: number): void {
    if (!this.started || this.reading || this.closed) return;
    if (!isComplete(this.cursor) || this.cursor.to >= tick || this.target > this.cursor.to) return;
    this.cursor = atTick(tick);
    this.target = tick;
    this.send(encodeEvent({ id: formatCursor(this.cursor) }));
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
        cursor: formatCursor(this.cursor),
      });
    } else {
      this.context.log.debug("stream closed", { reason: "client_gone", tenant: this.tenantId });
    }
    this.sink.end();
    this.context.onClose(this, reason);
  }

  private async readChanges(): Promise<void> {
    this.reading = true;
    const { changeLog, metrics } = this.context;
    try {
      while (!this.closed) {
        if (isComplete(this.cursor)) {
          if (this.target <= this.cursor.to) break;
          this.cursor = { from: this.cursor.to, to: this.target, after: 0 };
        }
        const range = this.cursor;
        const since = this.pendingSince;
        this.pendingSince = undefined;
        const { known, changes, counts, preferences } = await changeLog.changes(
          this.tenantId,
          this.recipient,
          range,
          BATCH,
        );
        if (this.closed) return;
        if (!known) {
          // The range's ticks were pruned while this stream lagged: start over at the target.
          this.cursor = atTick(this.target);
          metrics.reset("cursor_too_old");
          const data = JSON.stringify({ reason: "cursor_too_old", ...counts });
          this.send(encodeEvent({ event: "reset", id: formatCursor(this.cursor), data }));
          continue;
        }
        const complete = changes.length < BATCH;
        // A preference change has no notification id to place it among the range's changes:
        // it goes last, once the range is complete, and its id is the range's end. A client
        // cut off before it resumes inside the range and gets it then; after it, never again.
        const preferencesLast = complete && preferences !== undefined;
        let chunk = "";
        for (const [i, change] of changes.entries()) {
          const position =
            complete && !preferencesLast && i === changes.length - 1
              ? atTick(range.to)
              : { ...range, after: Number(change.kind === "row" ? change.row.id : change.id) };
          chunk += encodeEvent({
            event: eventOf(change),
            id: formatCursor(position),
            data: JSON.stringify(
              change.kind === "row"
                ? ({
                    ...change.row,
                    toast: change.toast,
                    ...counts,
                  } satisfies NotificationEventJson)
                : ({ id: change.id, ...counts } satisfies DeleteEventJson),
            ),
          });
        }
        if (preferencesLast) {
          chunk += encodeEvent({
            event: "preferences",
            id: formatCursor(atTick(range.to)),
            data: JSON.stringify({ preferences, ...counts } satisfies PreferencesEventJson),
          });
        }
        const last = changes.at(-1);
        this.cursor = complete
          ? atTick(range.to)
          : { ...range, after: Number(last?.kind === "row" ? last.row.id : last?.id) };
        if (chunk) {
          this.send(chunk);
          metrics.delivered(changes.length, range.to <= this.startHead ? changes.length : 0);
          if (since !== undefined) metrics.deliveryLatency((performance.now() - since) / 1000);
        }
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

function eventOf(change: Change): "notification" | "update" | "delete" {
  if (change.kind === "delete") return "delete";
  return change.created ? "notification" : "update";
}
