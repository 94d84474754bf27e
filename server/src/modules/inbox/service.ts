import { and, desc, eq, inArray, isNotNull, isNull, lt, lte, type SQL, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client.ts";
import { notifications } from "../../db/schema/index.ts";
import { type Transaction, withTenant } from "../../db/tenant-scope.ts";
import { ApiError } from "../../http/api-error.ts";
import { notExpired, notificationSelection, unreadCountOf } from "../../notify-row.ts";
import { enqueueWebhook, type WebhookEvent } from "../../webhooks/webhook-events.ts";
import type { User } from "../auth/index.ts";
import type { Filter, NotificationIds } from "./model.ts";

/**
 * A user's inbox. Every query is scoped to the token's (tenant, recipient): an id that
 * belongs to anyone else is simply not found. Changes go through the table, so the delivery
 * trigger numbers them and every open stream of the user gets an `update` event.
 */

/** The user's own rows that have not expired: everything else is "not found". */
const mine = (user: User) =>
  and(
    eq(notifications.tenantId, user.tenantId),
    eq(notifications.recipient, user.recipient),
    notExpired,
  );

const filters: Record<Filter, SQL> = {
  unread: and(isNull(notifications.readAt), isNull(notifications.archivedAt)) as SQL,
  all: isNull(notifications.archivedAt),
  archived: isNotNull(notifications.archivedAt),
};

async function countUnread(db: Transaction, user: User): Promise<number> {
  const [row] = await db.execute<{ count: number }>(
    sql`SELECT ${unreadCountOf(user.tenantId, user.recipient)} AS count`,
  );
  return row?.count ?? 0;
}

export function unreadCount(db: Database, user: User): Promise<number> {
  return withTenant(db, user.tenantId, (tx) => countUnread(tx, user));
}

export async function list(
  db: Database,
  user: User,
  { filter, limit, cursor }: { filter: Filter; limit: number; cursor?: string },
) {
  return withTenant(
    db,
    user.tenantId,
    async (tx) => {
      const rows = await tx
        .select(notificationSelection)
        .from(notifications)
        .where(
          and(
            mine(user),
            filters[filter],
            cursor ? lt(notifications.id, Number(cursor)) : undefined,
          ),
        )
        .orderBy(desc(notifications.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      return {
        items: page,
        nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
        unreadCount: await countUnread(tx, user),
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/**
 * Sets `values` on the user's rows among `ids` where `unchanged` holds (so a repeat is a
 * no-op and numbers no new change). All or nothing: if any id is not the user's, nothing
 * changes and the answer is 404.
 */
async function changeOwn(
  db: Database,
  user: User,
  ids: NotificationIds,
  values: PgUpdateSetSource<typeof notifications>,
  unchanged: SQL,
  event?: WebhookEvent,
) {
  const wanted = [...new Set(ids.map(Number))].sort((a, b) => a - b);
  return withTenant(db, user.tenantId, async (tx) => {
    const found = await tx
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(mine(user), inArray(notifications.id, wanted)))
      .orderBy(notifications.id)
      .for("update");
    if (found.length !== wanted.length) {
      throw new ApiError(404, "not_found", "one or more notifications do not exist");
    }
    const changed = await tx
      .update(notifications)
      .set(values)
      .where(and(mine(user), inArray(notifications.id, wanted), unchanged))
      .returning({ id: notifications.id });
    if (event) await enqueueWebhook(tx, user, event, changed);
    return { unreadCount: await countUnread(tx, user) };
  });
}

export function markRead(db: Database, user: User, ids: NotificationIds, read: boolean) {
  return read
    ? changeOwn(
        db,
        user,
        ids,
        { readAt: sql`now()` },
        isNull(notifications.readAt),
        "notification.read",
      )
    : changeOwn(db, user, ids, { readAt: null }, isNotNull(notifications.readAt));
}

export function archive(db: Database, user: User, ids: NotificationIds) {
  return changeOwn(db, user, ids, { archivedAt: sql`now()` }, isNull(notifications.archivedAt));
}

/**
 * Marks every unread notification read, or only those up to `upTo` (the newest the user has
 * seen), so one that arrives while the request is in flight stays unread.
 */
export async function markAllRead(db: Database, user: User, upTo: string | number | undefined) {
  return withTenant(db, user.tenantId, async (tx) => {
    const changed = await tx
      .update(notifications)
      .set({ readAt: sql`now()` })
      .where(
        and(
          mine(user),
          isNull(notifications.readAt),
          upTo === undefined ? undefined : lte(notifications.id, Number(upTo)),
        ),
      )
      .returning({ id: notifications.id });
    await enqueueWebhook(tx, user, "notification.read", changed);
    return { unreadCount: await countUnread(tx, user) };
  });
}
