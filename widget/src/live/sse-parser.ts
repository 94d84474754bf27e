/**
 * Server-Sent Events wire format, as the WHATWG HTML spec parses it, fed raw bytes.
 *
 * Must stay true: a line ends at CR, LF or CRLF, even when the CR and LF arrive in different
 * chunks; an `id` containing NUL is ignored; a block without `data` dispatches nothing but still
 * commits its `id` (that is how a server hands a fresh client its cursor).
 */

export interface SseMessage {
  event: string;
  data: string;
  /** The last event id in force when this message was dispatched. */
  id: string;
}

export interface SseHandlers {
  message(message: SseMessage): void;
  /** A block without data moved the last event id: a server handing out its cursor. */
  id?(id: string): void;
  retry?(ms: number): void;
}

export class SseParser {
  lastEventId: string;
  private readonly decoder = new TextDecoder();
  private buffer = "";
  private skipLeadingLf = false;
  private data: string[] = [];
  private hasData = false;
  private eventType = "";
  private pendingId: string;

  constructor(
    private readonly handlers: SseHandlers,
    lastEventId = "",
  ) {
    this.lastEventId = lastEventId;
    this.pendingId = lastEventId;
  }

  feed(chunk: Uint8Array): void {
    this.push(this.decoder.decode(chunk, { stream: true }));
  }

  /** Feeds already decoded text (tests, and the decoder's tail). */
  push(text: string): void {
    this.buffer += text;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 10 && this.skipLeadingLf && i === start) {
        this.skipLeadingLf = false;
        start = i + 1;
        continue;
      }
      this.skipLeadingLf = false;
      this.line(this.buffer.slice(start, i));
      if (c === 13) {
        if (i + 1 < this.buffer.length) {
          if (this.buffer.charCodeAt(i + 1) === 10) i++;
        } else {
          this.skipLeadingLf = true;
        }
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
  }

  /**
   * Drops a half-received event, as a browser does when the connection ends: only complete
   * blocks count.
   */
  reset(): void {
    this.decoder.decode();
    this.buffer = "";
    this.skipLeadingLf = false;
    this.clearBlock();
    this.pendingId = this.lastEventId;
  }

  private line(line: string): void {
    if (line === "") {
      this.dispatch();
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        this.data.push(value);
        this.hasData = true;
        break;
      case "event":
        this.eventType = value;
        break;
      case "id":
        if (!value.includes("\0")) this.pendingId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.handlers.retry?.(Number(value));
        break;
    }
  }

  private dispatch(): void {
    const idChanged = this.pendingId !== this.lastEventId;
    this.lastEventId = this.pendingId;
    if (!this.hasData) {
      if (idChanged) this.handlers.id?.(this.lastEventId);
    } else {
      this.handlers.message({
        event: this.eventType || "message",
        data: this.data.join("\n"),
        id: this.lastEventId,
      });
    }
    this.clearBlock();
  }

  private clearBlock(): void {
    this.data = [];
    this.hasData = false;
    this.eventType = "";
  }
}
