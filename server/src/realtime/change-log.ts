import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { notifications, recipients } from "../db/schema/index.ts";
import { withTenant } from "../db/tenant-scope.ts";
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

/**
 * `db` is the request pool: each read runs in a transaction scoped to its tenant, so
 * row-level security holds even here. `owner` serves only `heads()`, the one cross-tenant
 * read (tenant, recipient and sequence numbers, no content), for the catch-up after the
 * listener reconnects.
 */
export function createChangeLog(db: Database, owner: Database): ChangeLog {
  const readHead = (tenantId: string, recipient: string): Promise<Head> =>
    withTenant(db, tenantId, async (tx) => {
      const [row] = await tx
        .select({
          lastSeq: sql<string>`${recipients.lastSeq}::text`,
          unreadCount: unreadCountOf(tenantId, recipient),
        })
        .from(recipients)
        .where(and(eq(recipients.tenantId, tenantId), eq(recipients.recipient, recipient)));
      return row
        ? { lastSeq: Number(row.lastSeq), unreadCount: row.unreadCount }
        : { lastSeq: 0, unreadCount: 0 };
    });

  return {
    head: readHead,

    changesAfter: (tenantId, recipient, cursor, limit) =>
      withTenant(db, tenantId, async (tx) => {
        // One statement, so the rows and the count come from the same snapshot.
        const rows = await tx
          .select({ ...notificationSelection, unreadCount: unreadCountOf(tenantId, recipient) })
          .from(notifications)
          .where(
            and(
              eq(notifications.tenantId, tenantId),
              eq(notifications.recipient, recipient),
              gt(notifications.seq, cursor),
              notExpired,
            ),
          )
          .orderBy(asc(notifications.seq))
          .limit(limit);
        const first = rows[0];
        const unreadCount = first
          ? first.unreadCount
          : ((
              await tx.execute<{ count: number }>(
                sql`SELECT ${unreadCountOf(tenantId, recipient)} AS count`,
              )
            )[0]?.count ?? 0);
        return { rows, unreadCount };
      }),

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
