import type { Sql } from "../db/client.ts";
import type { CountsJson, NotificationJson, PreferenceJson } from "../notification-json.ts";
import { ISO_TIME_FORMAT } from "../notify-row.ts";
import { nextRound } from "./next-round.ts";
import { batchByTenant, loaderOf } from "./read-batching.ts";
import { withDeadline } from "./read-deadline.ts";
import type { StreamCursor } from "./stream-cursor.ts";
import type { StreamMetrics } from "./stream-metrics.ts";

/**
 * Reads a recipient's changes between two ticks (migration 0011): every notification whose
 * last change became visible between the two snapshots, at its current state, and every one
 * deleted in between, in id order. This is the only read the stream does; the ticker and the
 * listener only say *when* to read, and the hub *whose* changes to read.
 */
export interface Head extends CountsJson {
  /** The newest tick. */
  head: number;
  /** The cursor's ticks are still kept (always true without a cursor). */
  known: boolean;
  /** Changes waiting past the cursor, counted up to the cap asked for. */
  backlog: number;
}

export type Change =
  /** `toast`: the user wants the row's category as toasts. */
  | { kind: "row"; created: boolean; toast: boolean; row: NotificationJson }
  | { kind: "delete"; id: string };

export interface Changes {
  /** False when the range's ticks are no longer kept: the client must start over. */
  known: boolean;
  changes: Change[];
  /** The recipient's counts, read in the same statement as `changes`. */
  counts: CountsJson;
  /**
   * The recipient's whole preference set, when any of it changed in the range (whatever
   * part of the range `changes` covers); undefined otherwise.
   */
  preferences: PreferenceJson[] | undefined;
}

export interface ChangedSince {
  head: number;
  /** False when `from` is no longer kept (or was not given): every stream must look. */
  fromKnown: boolean;
  /** Recipients with a change after `from`, as [tenant, recipient]. */
  recipients: [string, string][];
}

export interface ChangeLog {
  head(
    tenantId: string,
    recipient: string,
    cursor: StreamCursor | undefined,
    cap: number,
  ): Promise<Head>;
  changes(
    tenantId: string,
    recipient: string,
    range: StreamCursor,
    limit: number,
  ): Promise<Changes>;
  /** Who has changes after tick `from`, up to the newest tick (cross-tenant, ids only). */
  changedSince(from: number | undefined): Promise<ChangedSince>;
  /**
   * Makes sure the newest tick covers every commit made before the call (records one if
   * anything became visible since the last). A stream that opens without a cursor starts at
   * the newest tick, so it asks first: otherwise a row committed just before it opened, not
   * yet ticked, would arrive as live although the client's inbox list already holds it.
   */
  tickNow(): Promise<void>;
}

interface RawChange {
  recipient: string;
  fromTick: string;
  toTick: string;
  afterId: string;
  known: boolean;
  unreadCount: number;
  unseenCount: number;
  categoryCounts: CountsJson["categoryCounts"];
  preferences: PreferenceJson[] | null;
  id: string | null;
  deleted: boolean | null;
  created: boolean | null;
  toast: boolean | null;
  title: string;
  body: string | null;
  url: string | null;
  category: string | null;
  data: unknown;
  createdAt: string;
  readAt: string | null;
  archivedAt: string | null;
  expiresAt: string | null;
  seenAt: string | null;
  actorName: string | null;
  actorAvatarUrl: string | null;
  actions: NotificationJson["actions"];
  actionTaken: string | null;
  actionTakenAt: string | null;
  snoozedUntil: string | null;
  groupKey: string | null;
}

function toChange(raw: RawChange & { id: string }): Change {
  if (raw.deleted) return { kind: "delete", id: raw.id };
  return {
    kind: "row",
    created: raw.created === true,
    toast: raw.toast !== false,
    row: {
      id: raw.id,
      title: raw.title,
      body: raw.body,
      url: raw.url,
      category: raw.category,
      data: raw.data,
      createdAt: raw.createdAt,
      readAt: raw.readAt,
      archivedAt: raw.archivedAt,
      expiresAt: raw.expiresAt,
      seenAt: raw.seenAt,
      actor: raw.actorName === null ? null : { name: raw.actorName, avatarUrl: raw.actorAvatarUrl },
      actions: raw.actions,
      actionTaken: raw.actionTaken,
      actionTakenAt: raw.actionTakenAt,
      snoozedUntil: raw.snoozedUntil,
      groupKey: raw.groupKey,
    },
  };
}

interface HeadRequest {
  tenantId: string;
  recipient: string;
  cursor: StreamCursor | undefined;
  cap: number;
}

interface ChangesRequest {
  tenantId: string;
  recipient: string;
  range: StreamCursor;
  limit: number;
}

const headKey = ({ recipient, cursor }: Pick<HeadRequest, "recipient" | "cursor">) =>
  JSON.stringify([recipient, cursor?.from ?? null, cursor?.to ?? null]);
const changesKey = ({ recipient, range }: Pick<ChangesRequest, "recipient" | "range">) =>
  JSON.stringify([recipient, range.from, range.to, range.after]);

/**
 * `pool` is the request pool, whose role is subject to row-level security: each read goes
 * through a function (migration 0011) that sets the tenant and reads in one round trip.
 * `owner` serves only `changedSince()`, the one cross-tenant read (tenant and recipient ids,
 * no content), and `tickNow()`.
 *
 * Reads are batched (`read-batching.ts`): the streams a tick wakes read in one query per
 * tenant. Every query fails after `deadlineMs` without an answer (`read-deadline.ts`): a read
 * that never settles would stall its streams, or the hub, for good.
 */
export function createChangeLog(
  pool: Sql,
  owner: Sql,
  metrics: Pick<StreamMetrics, "readBatch">,
  deadlineMs: number,
): ChangeLog {
  const headLoader = loaderOf<HeadRequest, Head>((requests) => {
    const cap = Math.max(...requests.map((r) => r.cap));
    return batchByTenant(
      requests,
      headKey,
      (size) => metrics.readBatch("head", size),
      async (tenantId, unique) => {
        // JSON arguments go as text, cast in SQL: bound as jsonb, postgres.js's own serializer
        // would encode the string once more (Drizzle swaps in a pass-through; not relied on).
        const asked = JSON.stringify(
          unique.map((r) => [r.recipient, r.cursor?.from ?? null, r.cursor?.to ?? null]),
        );
        const rows = await withDeadline(
          pool<
            {
              recipient: string;
              fromTick: string | null;
              toTick: string | null;
              head: string;
              known: boolean;
              backlog: number;
              unreadCount: number;
              unseenCount: number;
              categoryCounts: CountsJson["categoryCounts"];
            }[]
          >`
          SELECT recipient, from_tick::text AS "fromTick", to_tick::text AS "toTick",
            head::text, known, backlog, unread_count AS "unreadCount",
            unseen_count AS "unseenCount", category_counts AS "categoryCounts"
          FROM notify.stream_heads(${tenantId}, ${asked}::text::jsonb, ${cap})`,
          deadlineMs,
          "reading stream heads",
        );
        const heads = new Map<string, Head>();
        for (const row of rows) {
          const cursor =
            row.fromTick === null
              ? undefined
              : { from: Number(row.fromTick), to: Number(row.toTick), after: 0 };
          heads.set(headKey({ recipient: row.recipient, cursor }), {
            head: Number(row.head),
            known: row.known,
            backlog: row.backlog,
            unreadCount: row.unreadCount,
            unseenCount: row.unseenCount,
            categoryCounts: row.categoryCounts,
          });
        }
        return heads;
      },
    );
  });

  const changesLoader = loaderOf<ChangesRequest, Changes>((requests) => {
    // Requests of one batch may differ in limit: the largest serves them all.
    const limit = Math.max(...requests.map((r) => r.limit));
    return batchByTenant(
      requests,
      changesKey,
      (size) => metrics.readBatch("changes", size),
      async (tenantId, unique) => {
        const asked = JSON.stringify(
          unique.map((r) => [r.recipient, r.range.from, r.range.to, r.range.after]),
        );
        // Times in their wire form, formatted by Postgres as every read does (notify-row.ts).
        const rows = await withDeadline(
          pool<RawChange[]>`
          SELECT recipient, from_tick::text AS "fromTick", to_tick::text AS "toTick",
            after_id::text AS "afterId", known, unread_count AS "unreadCount",
            unseen_count AS "unseenCount", category_counts AS "categoryCounts", preferences,
            id::text, deleted, created, toast, title, body, url,
            category, data, actor_name AS "actorName", actor_avatar_url AS "actorAvatarUrl",
            actions, action_taken AS "actionTaken", group_key AS "groupKey",
            to_char(created_at AT TIME ZONE 'UTC', ${ISO_TIME_FORMAT}) AS "createdAt",
            to_char(read_at AT TIME ZONE 'UTC', ${ISO_TIME_FORMAT}) AS "readAt",
            to_char(archived_at AT TIME ZONE 'UTC', ${ISO_TIME_FORMAT}) AS "archivedAt",
            to_char(expires_at AT TIME ZONE 'UTC', ${ISO_TIME_FORMAT}) AS "expiresAt",
            to_char(seen_at AT TIME ZONE 'UTC', ${ISO_TIME_FORMAT}) AS "seenAt",
            to_char(action_taken_at AT TIME ZONE 'UTC', ${ISO_TIME_FORMAT}) AS "actionTakenAt",
            to_char(snoozed_until AT TIME ZONE 'UTC', ${ISO_TIME_FORMAT}) AS "snoozedUntil"
          FROM notify.stream_changes(${tenantId}, ${asked}::text::jsonb, ${limit})`,
          deadlineMs,
          "reading stream changes",
        );
        const answers = new Map<string, Changes>();
        for (const raw of rows) {
          const range = {
            from: Number(raw.fromTick),
            to: Number(raw.toTick),
            after: Number(raw.afterId),
          };
          const key = changesKey({ recipient: raw.recipient, range });
          let entry = answers.get(key);
          if (!entry) {
            entry = {
              known: raw.known,
              changes: [],
              counts: {
                unreadCount: raw.unreadCount,
                unseenCount: raw.unseenCount,
                categoryCounts: raw.categoryCounts,
              },
              preferences: raw.preferences ?? undefined,
            };
            answers.set(key, entry);
          }
          if (raw.id !== null) entry.changes.push(toChange({ ...raw, id: raw.id }));
        }
        return answers;
      },
    );
  });

  // Fresh streams opening together share a tick (`notify.tick` serialises its callers).
  const tickNow = nextRound(async () => {
    await withDeadline(owner`SELECT 1 FROM notify.tick(NULL)`, deadlineMs, "recording a tick");
  });

  return {
    tickNow,

    head: (tenantId, recipient, cursor, cap) =>
      headLoader.load({ tenantId, recipient, cursor, cap }),

    async changes(tenantId, recipient, range, limit) {
      const answer = await changesLoader.load({ tenantId, recipient, range, limit });
      return { ...answer, changes: answer.changes.slice(0, limit) };
    },

    async changedSince(from) {
      const rows = await withDeadline(
        owner<
          { head: string; fromKnown: boolean; tenantId: string | null; recipient: string | null }[]
        >`
        SELECT head::text, from_known AS "fromKnown", tenant_id AS "tenantId", recipient
        FROM notify.changed_since(${from ?? null})`,
        deadlineMs,
        "reading changed recipients",
      );
      const recipients: [string, string][] = [];
      for (const row of rows) {
        if (row.tenantId !== null && row.recipient !== null)
          recipients.push([row.tenantId, row.recipient]);
      }
      return {
        head: Number(rows[0]?.head ?? 0),
        fromKnown: rows[0]?.fromKnown ?? false,
        recipients,
      };
    },
  };
}
