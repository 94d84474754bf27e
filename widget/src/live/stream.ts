/**
 * One fetch-based Server-Sent Events connection to `/v1/stream`, kept alive for as long as
 * `close()` has not been called.
 *
 * Why not EventSource: it cannot send `Authorization`, and it gives up for good on a 401.
 * Here: the token travels in the header; `Last-Event-ID` resumes after the last complete
 * event; a clean end waits the server's `retry`; failures back off with jitter; a 401 asks for
 * a new token, and so does a `close` event that says the token expired or was revoked (that
 * token is never sent again); silence longer than
 * `idleTimeoutMs` (the server pings every 15 s) counts as a dead connection.
 */

import type { LiveStatus } from "../types.ts";
import { backoffDelay } from "./backoff.ts";
import { type SseMessage, SseParser } from "./sse-parser.ts";
import type { TokenSource } from "./token.ts";

export interface StreamError {
  code: string;
  message: string;
  status?: number;
}

export interface StreamOptions {
  /** Absolute URL of the stream endpoint. */
  url: string;
  auth: TokenSource;
  lastEventId?: string;
  idleTimeoutMs?: number;
  onMessage(message: SseMessage): void;
  /** The server moved the cursor without an event (a new stream's first line). */
  onCursor?(id: string): void;
  onStatus?(status: LiveStatus): void;
  onError?(error: StreamError): void;
}

const DEFAULT_RETRY_MS = 3000;

export class EventStream {
  private retryMs = DEFAULT_RETRY_MS;
  private readonly parser: SseParser;
  private readonly stop = new AbortController();
  private running = false;
  /** Set by a `close` event saying the token expired or was revoked. */
  private tokenRejected = false;
  /** Set by a `close` event: the server is done with this response even if bytes could follow. */
  private serverClosed = false;
  /** Set by a `stream_limit` close: this user holds too many streams; this one stays closed. */
  private replaced = false;

  constructor(private readonly options: StreamOptions) {
    this.parser = new SseParser(
      {
        message: (m) => (m.event === "close" ? this.onClose(m.data) : options.onMessage(m)),
        id: (id) => options.onCursor?.(id),
        retry: (ms) => {
          this.retryMs = ms;
        },
      },
      options.lastEventId ?? "",
    );
  }

  get lastEventId(): string {
    return this.parser.lastEventId;
  }

  start(): void {
    if (this.running || this.stop.signal.aborted) return;
    this.running = true;
    void this.run();
  }

  /** Safe to call more than once. */
  close(): void {
    this.stop.abort();
  }

  private async run(): Promise<void> {
    let failures = 0;
    let refreshedAfter401 = false;
    let token: string | null = null;
    this.status("connecting");
    while (!this.stop.signal.aborted) {
      const previous: string | null = token;
      token = await this.options.auth.fresh();
      // The server ended the last stream for its token: only a new one from the provider (or
      // the page) may follow, and without one the session is over, with no request sent.
      if (this.tokenRejected && token === previous) token = await this.options.auth.refresh();
      this.tokenRejected = false;
      this.serverClosed = false;
      if (this.stop.signal.aborted) return;
      if (!token) {
        this.fail({ code: "unauthorized", message: "No token", status: 401 });
        return;
      }
      const attempt = new AbortController();
      const abortAttempt = () => attempt.abort();
      this.stop.signal.addEventListener("abort", abortAttempt);
      let delay: number;
      try {
        const res = await fetch(this.options.url, {
          headers: {
            Accept: "text/event-stream",
            Authorization: `Bearer ${token}`,
            ...(this.lastEventId ? { "Last-Event-ID": this.lastEventId } : {}),
          },
          cache: "no-store",
          signal: attempt.signal,
        });
        if (res.status === 401) {
          void res.body?.cancel();
          // One fresh token per 401; a second 401 in a row means the provider cannot help.
          const fresh = refreshedAfter401 ? null : await this.options.auth.replace(token);
          if (!fresh) {
            this.fail({ code: "unauthorized", message: "Token rejected", status: 401 });
            return;
          }
          refreshedAfter401 = true;
          continue;
        }
        const type = res.headers.get("Content-Type") ?? "";
        if (!res.ok || !res.body || !type.startsWith("text/event-stream")) {
          void res.body?.cancel();
          throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.status });
        }
        refreshedAfter401 = false;
        failures = 0;
        this.status("open");
        await this.read(res.body, attempt);
        if (this.replaced) {
          this.fail({ code: "stream_limit", message: "Too many open streams for this user" });
          return;
        }
        delay = backoffDelay(0, this.retryMs);
        if (!this.stop.signal.aborted) this.status("connecting");
      } catch (err) {
        if (this.stop.signal.aborted) return;
        failures++;
        delay = backoffDelay(failures, this.retryMs);
        this.status("offline");
        const status = (err as { status?: number }).status;
        // Retries go on with backoff, but the page hears of a failure once, not per attempt.
        if (failures === 1) {
          this.options.onError?.({
            code: status ? `http_${status}` : "network",
            message: err instanceof Error ? err.message : String(err),
            status,
          });
        }
      } finally {
        this.stop.signal.removeEventListener("abort", abortAttempt);
        attempt.abort();
        this.parser.reset();
      }
      await this.wait(delay);
    }
  }

  /**
   * The server's last word before it ends a stream: `{ reason, retry }`. Most reasons are
   * worth a reconnect with Last-Event-ID; `token_expired` and `token_revoked` (its signing
   * secret was retired) mean the next attempt needs a new token first, and `stream_limit` (the user opened more streams elsewhere than the server
   * allows, and this was the oldest) means stop: reconnecting would only close another.
   */
  private onClose(data: string): void {
    this.serverClosed = true;
    try {
      const { reason } = JSON.parse(data) as { reason?: unknown };
      if (reason === "stream_limit") this.replaced = true;
      else if (reason === "token_expired" || reason === "token_revoked") this.tokenRejected = true;
    } catch {
      // A close event we cannot read still ends the stream; reconnecting is the safe move.
    }
  }

  private async read(body: ReadableStream<Uint8Array>, attempt: AbortController): Promise<void> {
    const reader = body.getReader();
    const idle = this.options.idleTimeoutMs ?? 45_000;
    let timer = setTimeout(() => attempt.abort(), idle);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        clearTimeout(timer);
        timer = setTimeout(() => attempt.abort(), idle);
        this.parser.feed(value);
        // Do not wait for the server to end the body (some runtimes keep the socket open).
        if (this.serverClosed) return;
      }
    } finally {
      clearTimeout(timer);
      reader.releaseLock();
    }
  }

  /** Sleeps `ms`, cut short by `close()` or by the browser coming back online. */
  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.stop.signal.removeEventListener("abort", done);
        globalThis.removeEventListener?.("online", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.stop.signal.addEventListener("abort", done);
      globalThis.addEventListener?.("online", done);
    });
  }

  private status(status: LiveStatus): void {
    this.options.onStatus?.(status);
  }

  private fail(error: StreamError): void {
    this.status("offline");
    this.options.onError?.(error);
    this.running = false;
  }
}
