import { createServer, type ServerResponse } from "node:http";
import pg from "pg";
import { type ChangedRow, ChangeReader, listen } from "./change-reader.ts";

/**
 * What a user would write by hand: `node:http` streams, one `pg` connection LISTENing, a
 * small pool reading the rows. Same contract as notify-bell's stream (the cursor is the
 * recipient's change number; `Last-Event-ID` resumes), without auth. Run with --expose-gc:
 * SIGUSR2 collects garbage before a memory reading.
 */
const port = Number(process.env.PORT);
const tenant = process.env.TENANT as string;
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

interface Stream {
  response: ServerResponse;
  cursor: number;
}
const streams = new Map<string, Set<Stream>>();

const reader = new ChangeReader(pool, tenant, (rows: ChangedRow[]) => {
  for (const row of rows) {
    for (const stream of streams.get(row.recipient) ?? []) {
      if (row.seq <= stream.cursor) continue;
      stream.response.write(`event: notification\nid: ${row.seq}\ndata: ${row.json}\n\n`);
      stream.cursor = row.seq;
    }
  }
});

function wake(recipient: string): void {
  const group = streams.get(recipient);
  if (!group || group.size === 0) return;
  let from = Number.POSITIVE_INFINITY;
  for (const stream of group) from = Math.min(from, stream.cursor);
  if (Number.isFinite(from)) reader.wake(recipient, from);
}

const server = createServer(async (request, response) => {
  const match = /^\/stream\/([^/?]+)/.exec(request.url ?? "");
  if (!match) {
    response.writeHead(404).end();
    return;
  }
  const recipient = decodeURIComponent(match[1] as string);
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
  response.socket?.setNoDelay(true);
  // Registered before the head is read, so no wake-up in between is missed.
  const stream: Stream = { response, cursor: Number.POSITIVE_INFINITY };
  let group = streams.get(recipient);
  if (!group) {
    group = new Set();
    streams.set(recipient, group);
  }
  group.add(stream);
  request.on("close", () => group.delete(stream));
  const lastEventId = request.headers["last-event-id"];
  let cursor: number;
  if (typeof lastEventId === "string" && /^\d{1,15}$/.test(lastEventId)) {
    cursor = Number(lastEventId);
  } else {
    const head = await pool.query<{ last_seq: string }>(
      "SELECT last_seq::text AS last_seq FROM notify.recipients WHERE tenant_id = $1 AND recipient = $2",
      [tenant, recipient],
    );
    cursor = Number(head.rows[0]?.last_seq ?? 0);
  }
  stream.cursor = cursor;
  response.write(`retry: 500\nid: ${cursor}\n\n`);
  reader.wake(recipient, cursor);
});
server.keepAliveTimeout = 0;
server.requestTimeout = 0;
server.headersTimeout = 0;

setInterval(() => {
  for (const group of streams.values())
    for (const stream of group) stream.response.write(": ping\n\n");
}, 15_000).unref();

process.on("SIGUSR2", () => (globalThis as { gc?: () => void }).gc?.());
process.on("SIGTERM", () => {
  for (const group of streams.values()) for (const stream of group) stream.response.end();
  server.close();
  setTimeout(() => process.exit(0), 200);
});

const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
await listener.connect();
await listen(listener, tenant, wake);
server.listen(port, "127.0.0.1", () => console.log(`node-baseline listening ${port}`));
