import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { notifications, recipients } from "../db/schema/index.ts";
import {
  type NotificationRow,
  notExpired,
  notificationSelection,
  unreadCountOf,
} from "../notification-json.ts";

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

export function recipientKey(tenantId: string, recipient: string): string {
  return JSON.stringify([tenantId, recipient]);
}

export function createChangeLog(db: Database): ChangeLog {
  const ofRecipient = and(
    eq(recipients.tenantId, sql.placeholder("tenantId")),
    eq(recipients.recipient, sql.placeholder("recipient")),
  );
  const head = db
    .select({
      lastSeq: sql<string>`${recipients.lastSeq}::text`,
      unreadCount: unreadCountOf(sql.placeholder("tenantId"), sql.placeholder("recipient")),
    })
    .from(recipients)
    .where(ofRecipient)
    .prepare("notify_head");

  // One statement, so the rows and the count come from the same snapshot.
  const changes = db
    .select({
      ...notificationSelection,
      unreadCount: unreadCountOf(sql.placeholder("tenantId"), sql.placeholder("recipient")),
    })
    .from(notifications)
    .where(
      and(
        eq(notifications.tenantId, sql.placeholder("tenantId")),
        eq(notifications.recipient, sql.placeholder("recipient")),
        gt(notifications.seq, sql.placeholder("cursor")),
        notExpired,
      ),
    )
    .orderBy(asc(notifications.seq))
    .limit(sql.placeholder("limit"))
    .prepare("notify_changes_after");

  const readHead = async (tenantId: string, recipient: string): Promise<Head> => {
    const [row] = await head.execute({ tenantId, recipient });
    return row
      ? { lastSeq: Number(row.lastSeq), unreadCount: row.unreadCount }
      : { lastSeq: 0, unreadCount: 0 };
  };

  return {
    head: readHead,

    async changesAfter(tenantId, recipient, cursor, limit) {
      const rows = await changes.execute({ tenantId, recipient, cursor, limit });
      const first = rows[0];
      const unreadCount = first
        ? first.unreadCount
        : (await readHead(tenantId, recipient)).unreadCount;
      return { rows, unreadCount };
    },

    async heads(keys) {
      const heads = new Map<string, number>();
      if (keys.length === 0) return heads;
      const rows = await db
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
