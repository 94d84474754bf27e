/**
 * A test client that reads an event stream the way a browser's EventSource does (WHATWG
 * HTML, "server-sent events": parsing and the last event ID buffer, which persists across
 * events and is set even by an event with no data). Written from the spec, independent of
 * the server's encoder; `eventsource-parser` is used as a second, independent check in the
 * framing tests.
 */

export interface ReceivedEvent {
  type: string;
  data: string;
  lastEventId: string;
}

export interface ConnectOptions {
  token?: string;
  /** Sent as the `Last-Event-ID` header. */
  lastEventId?: string;
  /** Put the token in `?token=` instead of the Authorization header. */
  tokenInQuery?: boolean;
  headers?: Record<string, string>;
}

export class SseClient {
  readonly events: ReceivedEvent[] = [];
  readonly comments: string[] = [];
  lastEventId = "";
  retry: number | undefined;
  /** Resolves when the response body ends (the server closed the stream). */
  readonly ended: Promise<void>;
  private readonly controller: AbortController;
  private waiters: (() => void)[] = [];
  private done = false;

  private constructor(
    readonly response: Response,
    controller: AbortController,
    lastEventId: string,
  ) {
    this.controller = controller;
    // The last event ID buffer carries over from the previous connection (set before reading
    // starts, which takes its first value from it).
    this.lastEventId = lastEventId;
    this.ended = this.read();
  }

  static async connect(baseUrl: string, path = "/v1/stream", options: ConnectOptions = {}) {
    const controller = new AbortController();
    const url = new URL(path, baseUrl);
    const headers: Record<string, string> = { accept: "text/event-stream", ...options.headers };
    if (options.token && options.tokenInQuery) url.searchParams.set("token", options.token);
    else if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.lastEventId !== undefined) headers["last-event-id"] = options.lastEventId;
    const response = await fetch(url, { headers, signal: controller.signal });
    return new SseClient(response, controller, options.lastEventId ?? "");
  }

  get isEnded(): boolean {
    return this.done;
  }

  /** Events of the given type, in order. */
  ofType(type: string): ReceivedEvent[] {
    return this.events.filter((event) => event.type === type);
  }

  /** Parsed JSON data of every event of the given type. */
  dataOf<T = Record<string, unknown>>(type: string): T[] {
    return this.ofType(type).map((event) => JSON.parse(event.data) as T);
  }

  /** Waits (a deadline, not a benchmark) until `condition` holds. */
  async waitFor(condition: (client: SseClient) => boolean, timeoutMs = 5_000, what = "condition") {
    const deadline = Date.now() + timeoutMs;
    while (!condition(this)) {
      const left = deadline - Date.now();
      if (left <= 0 || (this.done && !condition(this))) {
        throw new Error(
          `timed out waiting for ${what}; got ${JSON.stringify(this.events.map((e) => [e.type, e.lastEventId]))}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.controller.abort();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private async read(): Promise<void> {
    let eventType = "";
    let data = "";
    let idBuffer = this.lastEventId;
    let buffer = "";

    const dispatch = () => {
      this.lastEventId = idBuffer;
      if (data === "") {
        eventType = "";
        return;
      }
      if (data.endsWith("\n")) data = data.slice(0, -1);
      this.events.push({ type: eventType || "message", data, lastEventId: this.lastEventId });
      eventType = "";
      data = "";
    };

    const line = (text: string) => {
      if (text === "") return dispatch();
      if (text.startsWith(":")) {
        this.comments.push(text.slice(1).trimStart());
        return;
      }
      const colon = text.indexOf(":");
      const field = colon === -1 ? text : text.slice(0, colon);
      let value = colon === -1 ? "" : text.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") eventType = value;
      else if (field === "data") data += `${value}\n`;
      else if (field === "id" && !value.includes("\0")) idBuffer = value;
      else if (field === "retry" && /^\d+$/.test(value)) this.retry = Number(value);
    };

    try {
      if (!this.response.body) return;
      const decoder = new TextDecoder();
      for await (const chunk of this.response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        for (;;) {
          const match = /\r\n|\r|\n/.exec(buffer);
          // A CR at the very end may be the first half of a CRLF split across chunks.
          if (!match || (match[0] === "\r" && match.index === buffer.length - 1)) break;
          line(buffer.slice(0, match.index));
          buffer = buffer.slice(match.index + match[0].length);
        }
        this.notify();
      }
    } catch {
      // Aborted by us, or the connection dropped: either way the stream has ended, which is
      // what `ended` and `isEnded` report.
    } finally {
      this.done = true;
      this.notify();
    }
  }
}
