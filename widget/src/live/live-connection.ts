/**
 * One live stream per browser and user, shared by every tab.
 *
 * The tab holding the Web Lock runs the `EventStream` and relays each event, its cursor and
 * its status over a `BroadcastChannel`; the other tabs follow and remember the last id they
 * saw. When the leader closes, the next tab in line gets the lock and resumes from that id, so
 * nothing is lost; ids at or before the last one seen are dropped, so nothing is shown twice.
 * A new tab says `hello` and the leader answers with its cursor and status.
 * Without Web Locks or BroadcastChannel each tab leads its own stream.
 */

import type { LiveEvent, LiveStatus } from "../types.ts";
import { isAfter, parseLiveEvent } from "./live-event.ts";
import { EventStream, type StreamError } from "./stream.ts";
import { untilAborted, whenLeader } from "./tab-leader.ts";
import type { TokenSource } from "./token.ts";

type TabMessage =
  | { type: "hello" }
  | { type: "event"; event: LiveEvent }
  | { type: "state"; lastEventId: string; status: LiveStatus };

export interface LiveOptions {
  /** Server origin, without a trailing slash. */
  server: string;
  auth: TokenSource;
  /** Identifies the user (tenant and subject): tabs share a stream only for the same key. */
  key: string;
  onEvent(event: LiveEvent): void;
  onStatus(status: LiveStatus): void;
  onError(error: StreamError): void;
  /**
   * Once, when this connection first has a position in the user's changes (its stream's
   * opening id, or the leading tab's). A fresh stream starts after every commit made before it
   * opened, so counts and lists read from here on miss nothing the stream will not bring.
   */
  onReady?(): void;
}

export class LiveConnection {
  private lastEventId = "";
  private status: LiveStatus = "connecting";
  private stream: EventStream | null = null;
  private ready = false;
  private channel: BroadcastChannel | null = null;
  private readonly stop = new AbortController();

  constructor(private readonly options: LiveOptions) {}

  start(): void {
    const name = `notify-bell:${this.options.server}:${this.options.key}`;
    if (typeof BroadcastChannel === "function" && globalThis.navigator?.locks) {
      this.channel = new BroadcastChannel(name);
      this.channel.onmessage = (e: MessageEvent<TabMessage>) => this.fromTab(e.data);
      this.post({ type: "hello" });
    }
    whenLeader(name, this.stop.signal, (signal) => this.lead(signal));
  }

  /** Restarts a stream that stopped on an unrecoverable 401, after the token changed. */
  resume(): void {
    this.stream?.start();
  }

  /** Safe to call more than once; releases the lock so another tab takes over. */
  close(): void {
    this.stop.abort();
    this.channel?.close();
    this.channel = null;
  }

  private async lead(signal: AbortSignal): Promise<void> {
    const stream = new EventStream({
      url: `${this.options.server}/v1/stream`,
      auth: this.options.auth,
      lastEventId: this.lastEventId,
      onMessage: (message) => {
        const event = parseLiveEvent(message);
        if (event && this.accept(event)) this.post({ type: "event", event });
      },
      onCursor: (id) => {
        this.lastEventId = id;
        this.shareState();
        this.markReady();
      },
      onStatus: (status) => {
        this.setStatus(status);
        this.shareState();
      },
      onError: (error) => this.options.onError(error),
    });
    this.stream = stream;
    stream.start();
    try {
      await untilAborted(signal);
    } finally {
      stream.close();
      this.stream = null;
    }
  }

  private fromTab(message: TabMessage): void {
    if (this.stream) {
      if (message.type === "hello") this.shareState();
      return;
    }
    if (message.type === "event") {
      this.accept(message.event);
    } else if (message.type === "state") {
      if (isAfter(message.lastEventId, this.lastEventId)) this.lastEventId = message.lastEventId;
      this.setStatus(message.status);
      if (this.lastEventId) this.markReady();
    }
  }

  /** Delivers an event once; returns false for a duplicate. */
  private accept(event: LiveEvent): boolean {
    // A reset is the server saying our cursor is void: its id replaces ours whatever it is.
    if (event.type !== "reset" && this.lastEventId && !isAfter(event.id, this.lastEventId)) {
      return false;
    }
    if (event.id) this.lastEventId = event.id;
    this.options.onEvent(event);
    return true;
  }

  private markReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.options.onReady?.();
  }

  private shareState(): void {
    this.post({ type: "state", lastEventId: this.lastEventId, status: this.status });
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.options.onStatus(status);
  }

  private post(message: TabMessage): void {
    this.channel?.postMessage(message);
  }
}
