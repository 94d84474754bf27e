import { sql } from "drizzle-orm";
import type { Database, Sql } from "../db/client.ts";
import { recipients } from "../db/schema/index.ts";
import type { NotificationRow } from "../notification-json.ts";

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

/**
 * `pool` is the request pool, whose role is subject to row-level security: each read goes
 * through a function (migration 0007) that sets the tenant and reads in one round trip.
 * `owner` serves only `heads()`, the one cross-tenant read (tenant, recipient and sequence
 * numbers, no content), for the catch-up after the listener reconnects.
 */
export function createChangeLog(pool: Sql, owner: Database): ChangeLog {
  const head = async (tenantId: string, recipient: string): Promise<Head> => {
    const [row] = await pool<{ lastSeq: string; unreadCount: number }[]>`
      SELECT last_seq::text AS "lastSeq", unread_count AS "unreadCount"
      FROM notify.stream_head(${tenantId}, ${recipient})`;
    return { lastSeq: Number(row?.lastSeq ?? 0), unreadCount: row?.unreadCount ?? 0 };
  };

  return {
    head,

    async changesAfter(tenantId, recipient, cursor, limit) {
      // Times as epoch milliseconds: Drizzle, sharing this client, turns off postgres.js's
      // own date parsing.
      const rows = await pool<RawRow[]>`
        SELECT id::text, seq::text, created_seq::text AS "createdSeq", title, body, url, category,
          data, extract(epoch FROM created_at) * 1000 AS "createdAt",
          extract(epoch FROM read_at) * 1000 AS "readAt",
          extract(epoch FROM archived_at) * 1000 AS "archivedAt",
          extract(epoch FROM expires_at) * 1000 AS "expiresAt", unread_count AS "unreadCount"
        FROM notify.stream_changes(${tenantId}, ${recipient}, ${cursor}, ${limit})`;
      const first = rows[0];
      const unreadCount = first ? first.unreadCount : (await head(tenantId, recipient)).unreadCount;
      return { rows: rows.map(toRow), unreadCount };
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
