import postgres from "postgres";
import { nowNs, sleep } from "../lib/clock.ts";
import { serveRequests } from "./serve-requests.ts";

/**
 * A load-generator process that writes, as a tenant app would: plain INSERTs into
 * `notify.notifications` over its own connections (or, for the system with no database, a
 * publish over HTTP). Every title carries a marker `#...#` that the stream clients look for.
 * Times are CLOCK_MONOTONIC nanoseconds, comparable with the clients'.
 */

type Sql = postgres.Sql;
const pools = new Map<string, Sql>();

function pool(url: string, max: number): Sql {
  const key = `${url}|${max}`;
  let sql = pools.get(key);
  if (!sql) {
    sql = postgres(url, { max, onnotice: () => {}, idle_timeout: 0 });
    pools.set(key, sql);
  }
  return sql;
}

interface Feed {
  /** A Postgres URL (insert rows) or an http URL (publish to the system with no database). */
  url: string;
  tenant: string;
}

const title = (marker: string) => `bench #${marker}#`;

async function deliver(feed: Feed, users: readonly string[], marker: string): Promise<void> {
  if (feed.url.startsWith("http")) {
    const response = await fetch(feed.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ users, title: title(marker) }),
    });
    await response.arrayBuffer();
    return;
  }
  const sql = pool(feed.url, 2);
  if (users.length === 1) {
    await sql`INSERT INTO notify.notifications (tenant_id, recipient, title)
              VALUES (${feed.tenant}, ${users[0] as string}, ${title(marker)})`;
    return;
  }
  await sql`INSERT INTO notify.notifications (tenant_id, recipient, title)
            SELECT ${feed.tenant}, u, ${title(marker)} FROM unnest(${users as string[]}::text[]) AS u
            ORDER BY u`;
}

/** One insert every 1/rate s to one user; each marker with the time before and after commit. */
async function paced(m: Feed & { user: string; count: number; rate: number; prefix: string }) {
  const marks: [string, number, number][] = [];
  const start = performance.now();
  for (let i = 0; i < m.count; i++) {
    const due = start + (i * 1000) / m.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const marker = `${m.prefix}-${i}`;
    const before = Number(nowNs());
    await deliver(m, [m.user], marker);
    marks.push([marker, before, Number(nowNs())]);
  }
  return { marks };
}

/** One statement (one transaction) with one row for each user. */
async function batch(m: Feed & { users: string[]; marker: string }) {
  const before = Number(nowNs());
  await deliver(m, m.users, m.marker);
  return { before, after: Number(nowNs()) };
}

/**
 * Closed-loop writers for `seconds`: `connections` concurrent transactions, each of
 * `rowsPerTx` rows for random users (one INSERT statement). Returns what was committed.
 */
async function blast(
  m: Feed & {
    users: string[];
    seconds: number;
    connections: number;
    rowsPerTx: number;
    prefix: string;
    /** `any`: recipients in random order, as a join yields them; a failed transaction counts. */
    order?: "sorted" | "any";
  },
) {
  const sql = pool(m.url, m.connections);
  await Promise.all(Array.from({ length: m.connections }, () => sql`SELECT 1`));
  const perUser: Record<string, number> = {};
  let commits = 0;
  let rows = 0;
  let failed = 0;
  let n = 0;
  const start = performance.now();
  const deadline = start + m.seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const recipients = Array.from(
        { length: m.rowsPerTx },
        () => m.users[Math.floor(Math.random() * m.users.length)] as string,
      );
      if (m.order !== "any") recipients.sort();
      const titles = recipients.map(() => title(`${m.prefix}-${n++}`));
      try {
        await sql`INSERT INTO notify.notifications (tenant_id, recipient, title)
                  SELECT ${m.tenant}, r, t FROM unnest(${recipients}::text[], ${titles}::text[]) AS x(r, t)`;
      } catch (error) {
        if (m.order !== "any") throw error;
        failed++;
        continue;
      }
      commits++;
      rows += recipients.length;
      for (const recipient of recipients) perUser[recipient] = (perUser[recipient] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: m.connections }, loop));
  return { commits, rows, failed, seconds: (performance.now() - start) / 1000, perUser };
}

serveRequests(async (message) => {
  switch (message.cmd) {
    case "paced":
      return paced(message as unknown as Parameters<typeof paced>[0]);
    case "batch":
      return batch(message as unknown as Parameters<typeof batch>[0]);
    case "blast":
      return blast(message as unknown as Parameters<typeof blast>[0]);
    case "close":
      await Promise.all([...pools.values()].map((sql) => sql.end({ timeout: 1 })));
      pools.clear();
      return {};
    default:
      throw new Error(`unknown command ${String(message.cmd)}`);
  }
});
