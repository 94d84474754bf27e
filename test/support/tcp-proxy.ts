import { createServer, type Server, Socket } from "node:net";

/**
 * A TCP proxy in front of Postgres that can fail the way networks do: `stall()` stops
 * forwarding on the connections open now without closing them (a dead NAT entry: TCP still
 * looks fine), while new connections work; `cut()` closes every open connection.
 */
export class TcpProxy {
  private readonly server: Server;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket; stalled: boolean }>();
  port = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = "127.0.0.1",
  ) {
    this.server = createServer((client) => {
      const upstream = new Socket();
      const pair = { client, upstream, stalled: false };
      this.pairs.add(pair);
      upstream.connect(this.targetPort, this.targetHost);
      client.on("data", (chunk) => {
        if (!pair.stalled) upstream.write(chunk);
      });
      upstream.on("data", (chunk) => {
        if (!pair.stalled) client.write(chunk);
      });
      const end = () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on("close", end).on("error", end);
      upstream.on("close", end).on("error", end);
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
    return `127.0.0.1:${this.port}`;
  }

  get openConnections(): number {
    return this.pairs.size;
  }

  /** Silently drops every byte on the connections open now; new ones are unaffected. */
  stall(): void {
    for (const pair of this.pairs) pair.stalled = true;
  }

  cut(): void {
    for (const pair of [...this.pairs]) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
