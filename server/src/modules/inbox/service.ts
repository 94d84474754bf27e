import { and, desc, eq, inArray, isNotNull, isNull, lt, lte, type SQL, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client.ts";
import { notifications } from "../../db/schema/index.ts";
import { type Transaction, withTenant } from "../../db/tenant-scope.ts";
import { ApiError } from "../../http/api-error.ts";
import type { CountsJson } from "../../notification-json.ts";
import { countsOf, notExpired, notificationSelection, notMuted } from "../../notify-row.ts";
import {
  enqueueActionWebhook,
  enqueueWebhook,
  type WebhookEvent,
} from "../../webhooks/webhook-events.ts";
import type { User } from "../auth/index.ts";
import type { Filter, ListOptions, NotificationIds } from "./model.ts";

/**
 * A user's inbox. Every query is scoped to the token's (tenant, recipient): an id that
 * belongs to anyone else is simply not found. Changes go through the table, so the delivery
 * trigger numbers them and every open stream of the user gets an `update` event.
 */

/** The user's own rows that have not expired: everything else is "not found". */
export const mine = (user: User) =>
  and(
    eq(notifications.tenantId, user.tenantId),
    eq(notifications.recipient, user.recipient),
    notExpired,
  );

/** A snoozed notification is only in the `snoozed` list until it comes back. */
const awake = isNull(notifications.snoozedUntil);

export const filters: Record<Filter, SQL> = {
  unread: and(isNull(notifications.readAt), isNull(notifications.archivedAt), awake) as SQL,
  all: and(isNull(notifications.archivedAt), awake) as SQL,
  archived: and(isNotNull(notifications.archivedAt), awake) as SQL,
  snoozed: isNotNull(notifications.snoozedUntil),
};

/** What the user sees: their own rows, less those of categories they muted. */
export const visible = (user: User) => and(mine(user), notMuted(user.tenantId, user.recipient));

export async function countsIn(db: Transaction, user: User): Promise<CountsJson> {
  const [row] = await db.execute<CountsJson>(countsOf(user.tenantId, user.recipient));
  if (!row) throw new Error("notify.user_counts answered no row");
  return row;
}

export function counts(db: Database, user: User): Promise<CountsJson> {
  return withTenant(db, user.tenantId, (tx) => countsIn(tx, user));
}

/** Reading a notification also sees it (unseen counts only unread items anyway). */
export const seenNow = { seenAt: sql`coalesce(${notifications.seenAt}, now())` };

export async function list(
  db: Database,
  user: User,
  { filter, category, limit, cursor, groupKey }: ListOptions,
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
            visible(user),
            filters[filter],
            groupKey === undefined ? undefined : eq(notifications.groupKey, groupKey),
            category === undefined ? undefined : eq(notifications.category, category),
            cursor ? lt(notifications.id, Number(cursor)) : undefined,
          ),
        )
        .orderBy(desc(notifications.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      return {
        items: page,
        nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
        ...(await countsIn(tx, user)),
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
    return countsIn(tx, user);
  });
}

export function markRead(db: Database, user: User, ids: NotificationIds, read: boolean) {
  return read
    ? changeOwn(
        db,
        user,
        ids,
        { readAt: sql`now()`, ...seenNow },
        isNull(notifications.readAt),
        "notification.read",
      )
    : changeOwn(db, user, ids, { readAt: null }, isNotNull(notifications.readAt));
}

/** Marks notifications seen: the user was shown them; they stay unread. */
export function markSeen(db: Database, user: User, ids: NotificationIds) {
  return changeOwn(db, user, ids, { seenAt: sql`now()` }, isNull(notifications.seenAt));
}

/**
 * Records that the user took action `actionId` of notification `id`, and marks it read: in
 * the same transaction, the tenant's `notification.action` (and `notification.read`) webhook
 * events. Taking the same action again changes nothing and answers the same; another action
 * of the same notification is a 409, since only the first is kept.
 */
export async function takeAction(db: Database, user: User, id: string, actionId: string) {
  return withTenant(db, user.tenantId, async (tx) => {
    const [row] = await tx
      .select({
        actionTaken: notifications.actionTaken,
        offered: sql<boolean>`coalesce(${notifications.actions} @> jsonb_build_array(jsonb_build_object('id', ${actionId}::text)), false)`,
        unread: sql<boolean>`${notifications.readAt} IS NULL`,
      })
      .from(notifications)
      .where(and(mine(user), eq(notifications.id, Number(id))))
      .for("update");
    if (!row?.offered) {
      throw new ApiError(404, "not_found", "the notification or its action does not exist");
    }
    if (row.actionTaken === null) {
      await tx
        .update(notifications)
        .set({
          actionTaken: actionId,
          actionTakenAt: sql`now()`,
          readAt: sql`coalesce(${notifications.readAt}, now())`,
          ...seenNow,
        })
        .where(and(mine(user), eq(notifications.id, Number(id))));
      await enqueueActionWebhook(tx, user, id, actionId);
      if (row.unread) await enqueueWebhook(tx, user, "notification.read", [{ id }]);
    } else if (row.actionTaken !== actionId) {
      throw new ApiError(409, "conflict", "another action of this notification was taken");
    }
    return countsIn(tx, user);
  });
}

/**
 * Snoozes notification `id` until `until` (checked by the route to be ahead, within
 * MAX_SNOOZE_DAYS): it leaves lists and counts, and the snooze job brings it back then, as
 * new. Snoozing again moves the time.
 */
export function snooze(db: Database, user: User, id: string, until: Date) {
  return changeOwn(
    db,
    user,
    [id],
    { snoozedUntil: until },
    sql`${notifications.snoozedUntil} IS DISTINCT FROM ${until.toISOString()}::timestamptz`,
  );
}

/** Brings a snoozed notification back now, as it was (not as new: the user asked for it). */
export function unsnooze(db: Database, user: User, id: string) {
  return changeOwn(db, user, [id], { snoozedUntil: null }, isNotNull(notifications.snoozedUntil));
}

export function archive(db: Database, user: User, ids: NotificationIds) {
  return changeOwn(db, user, ids, { archivedAt: sql`now()` }, isNull(notifications.archivedAt));
}

/**
 * Marks every unread notification the user sees read (muted categories are left alone), or
 * only those up to `upTo` (the newest the user has seen), so one that arrives while the
 * request is in flight stays unread; with `category`, only that category's (a tab's).
 */
export async function markAllRead(
  db: Database,
  user: User,
  { upTo, category }: { upTo?: string | number; category?: string },
) {
  return withTenant(db, user.tenantId, async (tx) => {
    const changed = await tx
      .update(notifications)
      .set({ readAt: sql`now()`, ...seenNow })
      .where(
        and(
          visible(user),
          isNull(notifications.readAt),
          upTo === undefined ? undefined : lte(notifications.id, Number(upTo)),
          category === undefined ? undefined : eq(notifications.category, category),
        ),
      )
      .returning({ id: notifications.id });
    await enqueueWebhook(tx, user, "notification.read", changed);
    return countsIn(tx, user);
  });
}
