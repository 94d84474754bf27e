import { SseClient } from "./sse-client.ts";

/**
 * What a browser's EventSource does with our stream: when the body ends or the connection
 * drops, wait `retry` ms and reconnect with Last-Event-ID, keeping every event it got.
 * Stops on a final close reason (`retry: false`), on an answer other than 200 (EventSource
 * "fails the connection" then, for good: `refused` holds the status), or when stopped.
 */
export class ReconnectingClient {
  readonly events: { type: string; data: Record<string, unknown>; id: string }[] = [];
  connections = 0;
  /** The status of an answer other than 200, after which the client gave up. */
  refused: number | undefined;
  /**
   * The last event ID buffer, as a browser keeps it: set by every `id:` line as it arrives,
   * sent as Last-Event-ID on the next connection. Until a stream has sent its opening id, the
   * client has nothing to resume from: a connection lost before that starts over at the head.
   */
  lastEventId: string | undefined;
  private stopped = false;
  private current: SseClient | undefined;
  private readonly loop: Promise<void>;

  constructor(
    private readonly baseUrl: () => string,
    private readonly token: string,
  ) {
    this.loop = this.run();
  }

  titles(type = "notification"): string[] {
    return this.events.filter((e) => e.type === type).map((e) => String(e.data.title));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.close();
    await this.loop;
  }

  async waitForTitles(count: number, timeoutMs: number): Promise<void> {
    await this.waitUntil(() => this.titles().length >= count, timeoutMs, `${count} notifications`);
  }

  /** Waits until a stream has given this client its cursor (the opening `id:` line). */
  async waitForCursor(timeoutMs: number): Promise<void> {
    await this.waitUntil(() => this.lastEventId !== undefined, timeoutMs, "a cursor");
  }

  private async waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) {
        // Everything needed to tell a server that went silent from a client that gave up.
        const seen = this.events.map((e) =>
          e.type === "notification" ? e.data.title : `${e.type}:${e.data.reason ?? ""}`,
        );
        throw new Error(
          `waited for ${what}: got ${this.titles().length} notifications after ${this.connections} connections${this.refused ? `, then gave up on a ${this.refused}` : ""}, last id ${this.lastEventId}, events ${JSON.stringify(seen)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async run(): Promise<void> {
    let retry = 1_000;
    while (!this.stopped) {
      let final = false;
      try {
        const client = await SseClient.connect(this.baseUrl(), "/v1/stream", {
          token: this.token,
          lastEventId: this.lastEventId,
        });
        this.current = client;
        if (client.response.status !== 200) {
          this.refused = client.response.status;
          client.close();
          return;
        }
        this.connections++;
        let seen = 0;
        const drain = () => {
          if (client.lastEventId !== "") this.lastEventId = client.lastEventId;
          for (; seen < client.events.length; seen++) {
            const event = client.events[seen];
            if (!event) continue;
            this.events.push({
              type: event.type,
              data: JSON.parse(event.data),
              id: event.lastEventId,
            });
            if (event.type === "close" && JSON.parse(event.data).retry === false) final = true;
          }
        };
        while (!client.isEnded) {
          drain();
          await Promise.race([client.ended, new Promise((resolve) => setTimeout(resolve, 20))]);
        }
        drain();
        retry = client.retry ?? retry;
      } catch {
        // Connection refused (server restarting): try again after `retry`.
      }
      if (final) return;
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, retry));
    }
  }
}
