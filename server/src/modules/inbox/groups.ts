import { and, eq, inArray, isNull, lt, lte, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { notifications } from "../../db/schema/index.ts";
import { withTenant } from "../../db/tenant-scope.ts";
import {
  type GroupJson,
  MAX_GROUP_MEMBER_IDS,
  type NotificationJson,
} from "../../notification-json.ts";
import { notificationSelection } from "../../notify-row.ts";
import { enqueueWebhook } from "../../webhooks/webhook-events.ts";
import type { User } from "../auth/index.ts";
import type { ListOptions } from "./model.ts";
import { countsIn, filters, mine, seenNow, visible } from "./service.ts";

/**
 * Groups in a user's inbox (docs/design/grouping.md): the unread members of one group key
 * are one entry, placed by and shown as their newest member.
 *
 * What must stay true:
 *   * Membership is the counts' (migration 0021): a key, unread, not archived, not snoozed.
 *     A read member is an item of its own.
 *   * Paging is exact: an entry's place is its newest member's id, unique like any item's,
 *     and the cursor is that id; a group is whole on the page that holds its newest member,
 *     so no member is listed twice or skipped across pages.
 */

/** A group member: exactly the rows `notify.user_counts` counts as one per key. */
const member = and(
  sql`${notifications.groupKey} IS NOT NULL`,
  isNull(notifications.readAt),
  isNull(notifications.archivedAt),
  isNull(notifications.snoozedUntil),
);

interface EntryRow extends Record<string, unknown> {
  head: string;
  key: string | null;
  count: number;
  memberIds: string[] | null;
  actors: GroupJson["actors"];
  actorCount: number;
}

type GroupedItem = NotificationJson & { group: GroupJson | null };

/** One page of `GET /v1/notifications?group=true`. */
export function listGrouped(db: Database, user: User, options: ListOptions) {
  const { filter, category, limit, cursor, groupKey } = options;
  return withTenant(
    db,
    user.tenantId,
    async (tx) => {
      const shown = and(
        visible(user),
        filters[filter],
        category === undefined ? undefined : eq(notifications.category, category),
        groupKey === undefined ? undefined : eq(notifications.groupKey, groupKey),
      );
      const before = cursor === undefined ? undefined : lt(notifications.id, Number(cursor));
      // Bounded work per page: every group member (the user's unread rows with a key, read
      // through the unread index), and only the page's worth of other rows, newest first.
      const entries = await tx.execute<EntryRow>(sql`
        WITH members AS MATERIALIZED (
          SELECT ${notifications.id} AS id, ${notifications.groupKey} AS key,
                 ${notifications.actorName} AS actor_name,
                 ${notifications.actorAvatarUrl} AS avatar_url
          FROM ${notifications} WHERE ${and(shown, member)}
        ), singles AS (
          SELECT ${notifications.id} AS id FROM ${notifications}
          WHERE ${and(shown, before, sql`NOT coalesce(${member}, false)`)}
          ORDER BY ${notifications.id} DESC LIMIT ${limit + 1}
        ), entries AS (
          SELECT max(id) AS head, key, count(*)::int AS count,
                 (array_agg(id::text ORDER BY id DESC))[1:${MAX_GROUP_MEMBER_IDS}] AS member_ids
          FROM members GROUP BY key
          UNION ALL
          SELECT id, NULL, 1, NULL FROM singles
        ), page AS (
          SELECT * FROM entries
          WHERE ${cursor === undefined ? sql`true` : sql`head < ${Number(cursor)}`}
          ORDER BY head DESC LIMIT ${limit + 1}
        ), actors AS (
          -- Each actor once, at their newest member; the three most recent are shown.
          SELECT key, count(*)::int AS actor_count,
                 jsonb_agg(jsonb_build_object('name', actor_name, 'avatarUrl', avatar_url)
                           ORDER BY newest DESC) FILTER (WHERE rank <= 3) AS actors
          FROM (
            SELECT v.key, v.actor_name, (array_agg(v.avatar_url ORDER BY v.id DESC))[1] AS avatar_url,
                   max(v.id) AS newest,
                   row_number() OVER (PARTITION BY v.key ORDER BY max(v.id) DESC) AS rank
            FROM members v JOIN page p ON p.key = v.key
            WHERE v.actor_name IS NOT NULL
            GROUP BY v.key, v.actor_name
          ) AS a
          GROUP BY key
        )
        SELECT p.head::text AS head, p.key, p.count, p.member_ids AS "memberIds",
               coalesce(a.actors, '[]'::jsonb) AS actors,
               coalesce(a.actor_count, 0) AS "actorCount"
        FROM page p LEFT JOIN actors a ON a.key = p.key
        ORDER BY p.head DESC`);
      const page = entries.slice(0, limit);
      const heads = page.length
        ? await tx
            .select(notificationSelection)
            .from(notifications)
            .where(
              and(
                mine(user),
                inArray(
                  notifications.id,
                  page.map((e) => Number(e.head)),
                ),
              ),
            )
        : [];
      const byId = new Map(heads.map((row) => [row.id, row]));
      const items: GroupedItem[] = [];
      for (const entry of page) {
        const row = byId.get(entry.head);
        // Read in the same snapshot (repeatable read): every head is there.
        if (!row) continue;
        items.push({
          ...row,
          group:
            entry.key === null
              ? null
              : {
                  key: entry.key,
                  count: entry.count,
                  memberIds: entry.memberIds ?? [],
                  actors: entry.actors,
                  actorCount: entry.actorCount,
                },
        });
      }
      return {
        items,
        nextCursor: entries.length > limit ? (page.at(-1)?.head ?? null) : null,
        ...(await countsIn(tx, user)),
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/**
 * Marks a group read, or archives it, as one: its unread members up to `upTo` (the newest the
 * user was shown, so one arriving meanwhile stays unread and keeps the group). Every member
 * changed is an `update` on every stream of the user. A key with no such member changes
 * nothing: a repeat is a no-op, answered the same.
 */
export function changeGroup(
  db: Database,
  user: User,
  { groupKey, upTo }: { groupKey: string; upTo?: string | number },
  change: "read" | "archive",
) {
  return withTenant(db, user.tenantId, async (tx) => {
    const changed = await tx
      .update(notifications)
      .set(change === "read" ? { readAt: sql`now()`, ...seenNow } : { archivedAt: sql`now()` })
      .where(
        and(
          // As read-all: members in a category the user muted are left alone.
          visible(user),
          eq(notifications.groupKey, groupKey),
          member,
          upTo === undefined ? undefined : lte(notifications.id, Number(upTo)),
        ),
      )
      .returning({ id: notifications.id });
    if (change === "read") await enqueueWebhook(tx, user, "notification.read", changed);
    return countsIn(tx, user);
  });
}
