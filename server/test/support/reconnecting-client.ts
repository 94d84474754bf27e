import { SseClient } from "./sse-client.ts";

/**
 * What a browser's EventSource does with our stream: when the body ends or the connection
 * drops, wait `retry` ms and reconnect with Last-Event-ID, keeping every event it got.
 * Stops on a final close reason (`retry: false`) or when stopped.
 */
export class ReconnectingClient {
  readonly events: { type: string; data: Record<string, unknown>; id: string }[] = [];
  connections = 0;
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
    const deadline = Date.now() + timeoutMs;
    while (this.titles().length < count) {
      if (Date.now() > deadline) {
        throw new Error(
          `got ${this.titles().length} of ${count} notifications after ${this.connections} connections`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async run(): Promise<void> {
    let lastEventId: string | undefined;
    let retry = 1_000;
    while (!this.stopped) {
      let final = false;
      try {
        const client = await SseClient.connect(this.baseUrl(), "/v1/stream", {
          token: this.token,
          lastEventId,
        });
        this.current = client;
        this.connections++;
        let seen = 0;
        const drain = () => {
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
        if (client.lastEventId !== "") lastEventId = client.lastEventId;
        retry = client.retry ?? retry;
      } catch {
        // Connection refused (server restarting): try again after `retry`.
      }
      if (final) return;
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, retry));
    }
  }
}
