import { connect, type Socket } from "node:net";
import { nowNs } from "../lib/clock.ts";

/** Where one stream connects: plain HTTP/1.1 on loopback. */
export interface StreamTarget {
  port: number;
  path: string;
  headers: Record<string, string>;
  /** The user this stream belongs to (for matching deliveries to inserts). */
  user: string;
}

/** A marker found in an event's data (`#...#`, put in every title) and when it arrived. */
export type Delivery = [marker: string, atNs: number];

const markerPattern = /#([\w-]+)#/;
const HANDSHAKE_TIMEOUT_MS = 15_000;

/**
 * One event stream over a raw socket, cheap enough to hold thousands per process: parses the
 * HTTP response head, chunked transfer coding and the SSE lines, and keeps only what the
 * bench needs: the last event id, and each event's marker with its arrival time.
 */
export class SseConnection {
  socket: Socket | undefined;
  lastEventId = "";
  readonly deliveries: Delivery[] = [];
  status = 0;
  /** Set when the response head said 200 and the first body bytes arrived. */
  readyAtNs = 0;
  ended = false;
  private head = "";
  private chunked = false;
  private chunkLeft = 0;
  private chunkSizeLine = "";
  private chunkTrailer = 0;
  private line = "";
  private eventMarker: string | undefined;
  private decoder = new TextDecoder();

  constructor(readonly target: StreamTarget) {}

  /** Connects; calls `onReady` once the stream has started, `onEnd` when it is over. */
  open(onReady: (ok: boolean, why?: string) => void, onEnd: () => void): void {
    this.status = 0;
    this.readyAtNs = 0;
    this.ended = false;
    this.head = "";
    this.chunked = false;
    this.chunkLeft = 0;
    this.chunkSizeLine = "";
    this.chunkTrailer = 0;
    this.line = "";
    this.eventMarker = undefined;
    this.decoder = new TextDecoder();
    let settled = false;
    const settle = (ok: boolean, why?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(handshakeTimer);
      onReady(ok, why);
    };
    // A stream that has not started within the limit counts as failed, and is dropped.
    const handshakeTimer = setTimeout(() => {
      settle(false, `not started within ${HANDSHAKE_TIMEOUT_MS} ms`);
      this.socket?.destroy();
    }, HANDSHAKE_TIMEOUT_MS);
    const headers = { ...this.target.headers };
    if (this.lastEventId !== "") headers["last-event-id"] = this.lastEventId;
    const request =
      `GET ${this.target.path} HTTP/1.1\r\nhost: 127.0.0.1:${this.target.port}\r\n` +
      `accept: text/event-stream\r\n${Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join("")}\r\n`;
    const socket = connect({ port: this.target.port, host: "127.0.0.1" });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on("connect", () => socket.write(request));
    socket.on("data", (data: Buffer) => {
      const at = Number(nowNs());
      const text = this.decoder.decode(data, { stream: true });
      if (this.status === 0) {
        this.head += text;
        const end = this.head.indexOf("\r\n\r\n");
        if (end === -1) return;
        const head = this.head.slice(0, end);
        this.status = Number(head.slice(9, 12));
        this.chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head);
        const rest = this.head.slice(end + 4);
        this.head = "";
        if (this.status !== 200) {
          settle(false, `status ${this.status}`);
          socket.destroy();
          return;
        }
        if (rest.length > 0) this.body(rest, at, settle);
        return;
      }
      this.body(text, at, settle);
    });
    const finish = (why: string) => {
      if (this.ended) return;
      this.ended = true;
      settle(false, why);
      onEnd();
    };
    socket.on("error", (error) => finish(error.message));
    socket.on("close", () => finish("closed"));
  }

  close(): void {
    this.socket?.destroy();
  }

  private body(text: string, at: number, settle: (ok: boolean) => void): void {
    const payload = this.chunked ? this.dechunk(text) : text;
    if (payload.length === 0) return;
    if (this.readyAtNs === 0) {
      this.readyAtNs = at;
      settle(true);
    }
    this.lines(payload, at);
  }

  /** Chunked transfer coding: `size CRLF data CRLF`, repeated; the chunk borders are not SSE's. */
  private dechunk(text: string): string {
    let out = "";
    let i = 0;
    while (i < text.length) {
      if (this.chunkTrailer > 0) {
        const skip = Math.min(this.chunkTrailer, text.length - i);
        this.chunkTrailer -= skip;
        i += skip;
      } else if (this.chunkLeft > 0) {
        const take = Math.min(this.chunkLeft, text.length - i);
        out += text.slice(i, i + take);
        this.chunkLeft -= take;
        i += take;
        if (this.chunkLeft === 0) this.chunkTrailer = 2;
      } else {
        const newline = text.indexOf("\r\n", i);
        if (newline === -1) {
          this.chunkSizeLine += text.slice(i);
          break;
        }
        this.chunkSizeLine += text.slice(i, newline);
        i = newline + 2;
        this.chunkLeft = Number.parseInt(this.chunkSizeLine, 16) || 0;
        this.chunkSizeLine = "";
        // A zero-size chunk ends the body; the socket close reports the end.
      }
    }
    return out;
  }

  private lines(text: string, at: number): void {
    let buffer = this.line + text;
    for (;;) {
      const newline = buffer.indexOf("\n");
      if (newline === -1) break;
      let line = buffer.slice(0, newline);
      if (line.endsWith("\r")) line = line.slice(0, -1);
      buffer = buffer.slice(newline + 1);
      if (line === "") {
        if (this.eventMarker !== undefined) this.deliveries.push([this.eventMarker, at]);
        this.eventMarker = undefined;
      } else if (line.startsWith("id:")) {
        this.lastEventId = line.slice(3).trim();
      } else if (line.startsWith("data:")) {
        const match = markerPattern.exec(line);
        if (match) this.eventMarker = match[1];
      }
    }
    this.line = buffer;
  }
}
