import { Agent, createServer, request } from "node:http";
import pg from "pg";
import { type ChangedRow, ChangeReader, listen } from "./change-reader.ts";

/**
 * The small LISTEN → publish bridge in front of a proxy that holds the streams (Pushpin or
 * nchan): the same trigger wakes it, it reads the rows as notify-bell does (one query per
 * batch of woken recipients, a cursor per recipient) and publishes each row to the
 * recipient's channel. For Pushpin it is also the origin that answers a new stream with GRIP
 * instructions (hold it open, subscribe it to the user's channel).
 *
 * TARGET=pushpin: PUBLISH_URL is Pushpin's HTTP publish endpoint (items batched per POST).
 * TARGET=nchan:   PUBLISH_URL is nginx's publisher location; one POST per row, kept alive.
 */
const target = process.env.TARGET as "pushpin" | "nchan";
const tenant = process.env.TENANT as string;
const publishUrl = new URL(process.env.PUBLISH_URL as string);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
const agent = new Agent({ keepAlive: true, maxSockets: 32 });
const cursors = new Map<string, number>();

function post(path: string, body: string, contentType: string): Promise<void> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: publishUrl.hostname,
        port: publishUrl.port,
        path,
        method: "POST",
        agent,
        headers: { "content-type": contentType, "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve());
      },
    );
    req.on("error", (error) => {
      console.error("publish failed:", error.message);
      resolve();
    });
    req.end(body);
  });
}

async function publish(rows: ChangedRow[]): Promise<void> {
  for (const row of rows) cursors.set(row.recipient, row.seq);
  if (target === "pushpin") {
    for (let i = 0; i < rows.length; i += 500) {
      const items = rows.slice(i, i + 500).map((row) => ({
        channel: row.recipient,
        formats: {
          "http-stream": {
            content: `event: notification\nid: ${row.seq}\ndata: ${row.json}\n\n`,
          },
        },
      }));
      await post(publishUrl.pathname, JSON.stringify({ items }), "application/json");
    }
    return;
  }
  await Promise.all(
    rows.map((row) =>
      post(
        `${publishUrl.pathname}${encodeURIComponent(row.recipient)}`,
        row.json,
        "application/json",
      ),
    ),
  );
}

const reader = new ChangeReader(pool, tenant, publish);

const heads = await pool.query<{ recipient: string; last_seq: string }>(
  "SELECT recipient, last_seq::text AS last_seq FROM notify.recipients WHERE tenant_id = $1",
  [tenant],
);
for (const row of heads.rows) cursors.set(row.recipient, Number(row.last_seq));

const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
await listener.connect();
await listen(listener, tenant, (recipient) => reader.wake(recipient, cursors.get(recipient) ?? 0));

if (target === "pushpin") {
  const origin = createServer((req, response) => {
    const user = /^\/stream\/([^/?]+)/.exec(req.url ?? "")?.[1];
    if (!user) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      "content-type": "text/event-stream",
      "grip-hold": "stream",
      "grip-channel": user,
      "grip-keep-alive": ": ping\\n\\n; format=cstring; timeout=15",
    });
    response.end("retry: 500\n\n");
  });
  origin.listen(Number(process.env.ORIGIN_PORT), "127.0.0.1", () =>
    console.log("bridge listening"),
  );
} else {
  console.log("bridge listening");
}
