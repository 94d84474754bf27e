import DataLoader from "dataloader";
import { sql } from "drizzle-orm";
import type { Database, Sql } from "../db/client.ts";
import { recipients } from "../db/schema/index.ts";
import type { NotificationRow } from "../notification-json.ts";
import { noMetrics, type StreamMetrics } from "./stream-metrics.ts";

/**
 * Reads a recipient's change log: every notification row whose `seq` is past a cursor, in
 * `seq` order. A row appears once, at the number of its latest change, so a client catching
 * up gets the current state of each row it missed, in commit order.
 *
 * This is the only read the stream does; the listener only says *whose* log to read.
 */
export interface Head {
  lastSeq: number;
  unreadCount: number;
}

export interface Changes {
  rows: NotificationRow[];
  /** The recipient's unread count in the same snapshot as `rows`. */
  unreadCount: number;
}

export interface ChangeLog {
  head(tenantId: string, recipient: string): Promise<Head>;
  changesAfter(
    tenantId: string,
    recipient: string,
    cursor: number,
    limit: number,
  ): Promise<Changes>;
  /** Heads of many recipients in one query, for the catch-up after a re-LISTEN. */
  heads(keys: readonly (readonly [string, string])[]): Promise<Map<string, number>>;
}

type Millis = string | number | null;
type RawRow = Omit<NotificationRow, "createdAt" | "readAt" | "archivedAt" | "expiresAt"> & {
  createdAt: Millis;
  readAt: Millis;
  archivedAt: Millis;
  expiresAt: Millis;
  unreadCount: number;
};

const toDate = (ms: Millis) => (ms === null ? null : new Date(Number(ms)));

function toRow({ unreadCount: _, ...row }: RawRow): NotificationRow {
  return {
    ...row,
    createdAt: toDate(row.createdAt) as Date,
    readAt: toDate(row.readAt),
    archivedAt: toDate(row.archivedAt),
    expiresAt: toDate(row.expiresAt),
  };
}

export function recipientKey(tenantId: string, recipient: string): string {
  return JSON.stringify([tenantId, recipient]);
}

/** Reads per query: a bigger burst is split into several queries, run side by side. */
const MAX_BATCH = 500;

interface HeadRequest {
  tenantId: string;
  recipient: string;
}

interface ChangesRequest extends HeadRequest {
  cursor: number;
  limit: number;
}

type RawChange = Omit<RawRow, "id"> & { id: string | null; recipient: string; afterSeq: string };

/**
 * `pool` is the request pool, whose role is subject to row-level security: each read goes
 * through a function (migration 0008) that sets the tenant and reads in one round trip.
 * `owner` serves only `heads()`, the one cross-tenant read (tenant, recipient and sequence
 * numbers, no content), for the catch-up after the listener reconnects.
 *
 * Reads are batched: every `head` and `changesAfter` asked for in the same turn of the event
 * loop (one NOTIFY burst wakes thousands of streams at once) goes out as one query per
 * tenant, of up to MAX_BATCH recipients.
 */
export function createChangeLog(
  pool: Sql,
  owner: Database,
  metrics: Pick<StreamMetrics, "readBatch"> = noMetrics,
): ChangeLog {
  const headLoader = new DataLoader<HeadRequest, Head>(
    (requests) =>
      batchByTenant(
        requests,
        headKey,
        (size) => metrics.readBatch("head", size),
        async (tenantId, unique) => {
          // JSON arguments go as text, cast in SQL: bound as jsonb, postgres.js's own serializer
          // would encode the string once more (Drizzle swaps in a pass-through; not relied on).
          const rows = await pool<{ recipient: string; lastSeq: string; unreadCount: number }[]>`
          SELECT recipient, last_seq::text AS "lastSeq", unread_count AS "unreadCount"
          FROM notify.stream_heads(${tenantId}, ${JSON.stringify(unique.map((r) => r.recipient))}::text::jsonb)`;
          const heads = new Map<string, Head>();
          for (const row of rows) {
            heads.set(headKey({ tenantId, recipient: row.recipient }), {
              lastSeq: Number(row.lastSeq),
              unreadCount: row.unreadCount,
            });
          }
          return heads;
        },
      ),
    loaderOptions,
  );

  const changesLoader = new DataLoader<ChangesRequest, Changes>((requests) => {
    // Requests of one batch may differ in limit: the largest serves them all.
    const limit = Math.max(...requests.map((r) => r.limit));
    return batchByTenant(
      requests,
      changesKey,
      (size) => metrics.readBatch("changes", size),
      async (tenantId, unique) => {
        const pairs = JSON.stringify(unique.map((r) => [r.recipient, r.cursor]));
        // Times as epoch milliseconds: Drizzle, sharing this client, turns off postgres.js's
        // own date parsing.
        const rows = await pool<RawChange[]>`
          SELECT recipient, after_seq::text AS "afterSeq", unread_count AS "unreadCount",
            id::text, seq::text, created_seq::text AS "createdSeq", title, body, url, category,
            data, extract(epoch FROM created_at) * 1000 AS "createdAt",
            extract(epoch FROM read_at) * 1000 AS "readAt",
            extract(epoch FROM archived_at) * 1000 AS "archivedAt",
            extract(epoch FROM expires_at) * 1000 AS "expiresAt"
          FROM notify.stream_changes_batch(${tenantId}, ${pairs}::text::jsonb, ${limit})`;
        const changes = new Map<string, Changes>();
        for (const { recipient, afterSeq, id, ...row } of rows) {
          const key = changesKey({ tenantId, recipient, cursor: Number(afterSeq), limit: 0 });
          let entry = changes.get(key);
          if (!entry) {
            entry = { rows: [], unreadCount: row.unreadCount };
            changes.set(key, entry);
          }
          if (id !== null) entry.rows.push(toRow({ ...row, id }));
        }
        return changes;
      },
    );
  }, loaderOptions);

  return {
    head: (tenantId, recipient) => headLoader.load({ tenantId, recipient }),

    async changesAfter(tenantId, recipient, cursor, limit) {
      const { rows, unreadCount } = await changesLoader.load({
        tenantId,
        recipient,
        cursor,
        limit,
      });
      return { rows: rows.slice(0, limit), unreadCount };
    },

    async heads(keys) {
      const heads = new Map<string, number>();
      if (keys.length === 0) return heads;
      const rows = await owner
        .select({
          tenantId: recipients.tenantId,
          recipient: recipients.recipient,
          lastSeq: sql<string>`${recipients.lastSeq}::text`,
        })
        .from(recipients)
        .where(
          sql`(${recipients.tenantId}, ${recipients.recipient}) IN (${sql.join(
            keys.map(([tenantId, recipient]) => sql`(${tenantId}, ${recipient})`),
            sql`, `,
          )})`,
        );
      for (const row of rows)
        heads.set(recipientKey(row.tenantId, row.recipient), Number(row.lastSeq));
      return heads;
    },
  };
}

/**
 * Gathered until the event loop's I/O callbacks have run: a NOTIFY burst spans many socket
 * reads, and DataLoader's default (within the current turn) made a batch per read; 10,000
 * wake-ups then took 45 reads a query and seconds instead of milliseconds. Never cached,
 * since every read must see the latest commits.
 */
const loaderOptions = {
  cache: false,
  maxBatchSize: MAX_BATCH,
  batchScheduleFn: (dispatch: () => void) => setImmediate(dispatch),
};

const headKey = ({ tenantId, recipient }: HeadRequest) => recipientKey(tenantId, recipient);
const changesKey = ({ tenantId, recipient, cursor }: ChangesRequest) =>
  JSON.stringify([tenantId, recipient, cursor]);

/**
 * Answers a batch: one `read` per tenant (row-level security scopes a query to one tenant)
 * with each distinct request once, then every request from its result by `keyOf`. A failed
 * query fails only its tenant's requests.
 */
async function batchByTenant<R extends HeadRequest, V>(
  requests: readonly R[],
  keyOf: (request: R) => string,
  observe: (size: number) => void,
  read: (tenantId: string, unique: R[]) => Promise<Map<string, V>>,
): Promise<(V | Error)[]> {
  const byTenant = new Map<string, Map<string, R>>();
  for (const request of requests) {
    let unique = byTenant.get(request.tenantId);
    if (!unique) {
      unique = new Map();
      byTenant.set(request.tenantId, unique);
    }
    unique.set(keyOf(request), request);
  }
  const results = new Map<string, V | Error>();
  await Promise.all(
    [...byTenant].map(async ([tenantId, unique]) => {
      observe(unique.size);
      try {
        const answers = await read(tenantId, [...unique.values()]);
        for (const key of unique.keys()) {
          results.set(key, answers.get(key) ?? new Error(`no answer for ${key}`));
        }
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const key of unique.keys()) results.set(key, failure);
      }
    }),
  );
  return requests.map((request) => results.get(keyOf(request)) as V | Error);
}
