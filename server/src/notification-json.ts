import { type Static, t } from "elysia";

/**
 * A notification as clients see it: the JSON of inbox lists and of stream events. This schema
 * is its one definition: the inbox API validates and documents its responses with it, the
 * stream writes it, and the widget imports its type (type only, so no server code reaches the
 * browser bundle). Ids are decimal strings (they are Postgres bigints); times are ISO 8601 in
 * UTC with milliseconds, formatted by Postgres (`notify-row.ts`), never converted in between.
 */
export const notificationJson = t.Object({
  id: t.String(),
  title: t.String(),
  body: t.Nullable(t.String()),
  url: t.Nullable(t.String()),
  category: t.Nullable(t.String()),
  data: t.Unknown(),
  createdAt: t.String(),
  readAt: t.Nullable(t.String()),
  archivedAt: t.Nullable(t.String()),
  /** After this the notification is gone from lists, counts and streams. */
  expiresAt: t.Nullable(t.String()),
  /** When the user first saw it (or read it); unseen items count in `unseenCount`. */
  seenAt: t.Nullable(t.String()),
  /** Who it is from; `avatarUrl` is https or a path on the site. */
  actor: t.Nullable(t.Object({ name: t.String(), avatarUrl: t.Nullable(t.String()) })),
  /** Up to two buttons; clicking one records it (`actionTaken`). */
  actions: t.Nullable(
    t.Array(
      t.Object({
        id: t.String(),
        label: t.String(),
        url: t.Optional(t.String()),
        style: t.Optional(t.UnionEnum(["primary", "secondary"])),
      }),
    ),
  ),
  /** The id of the action the user took, once, and when. */
  actionTaken: t.Nullable(t.String()),
  actionTakenAt: t.Nullable(t.String()),
  /**
   * Snoozed until then: out of lists and counts (an `update` with this set means "remove it
   * for now"); it comes back as a `notification` at that time.
   */
  snoozedUntil: t.Nullable(t.String()),
  /**
   * The tenant's name for a thread of repeats: while unread, the items of one key are one
   * inbox row and count as one (docs/design/grouping.md).
   */
  groupKey: t.Nullable(t.String()),
});

export type NotificationJson = Static<typeof notificationJson>;

/** The most member ids a group object lists; `count` is always exact. */
export const MAX_GROUP_MEMBER_IDS = 100;

/**
 * A group in `GET /v1/notifications?group=true`: the unread items of one `groupKey`, shown as
 * one row whose content is its newest member's (the item that carries this object).
 */
export const groupJson = t.Object({
  key: t.String(),
  /** How many unread members it has (at least 1). */
  count: t.Integer(),
  /** Its members' ids, newest first: the first 100 (list more with `groupKey=`). */
  memberIds: t.Array(t.String()),
  /** Up to three distinct actors, the most recent first. */
  actors: t.Array(t.Object({ name: t.String(), avatarUrl: t.Nullable(t.String()) })),
  /** How many distinct actors its members have ("Ana and 3 others": actorCount 4). */
  actorCount: t.Integer(),
});

export type GroupJson = Static<typeof groupJson>;

/** One category's share of the counts. */
export const categoryCountJson = t.Object({
  category: t.String(),
  unreadCount: t.Integer(),
  unseenCount: t.Integer(),
});

export type CategoryCountJson = Static<typeof categoryCountJson>;

/**
 * The user's counts, in every count response and stream event. None counts a category the
 * user muted (`inInbox: false`).
 */
export const countsJson = t.Object({
  unreadCount: t.Integer(),
  /** Unread items not seen yet: what the bell shows by default. */
  unseenCount: t.Integer(),
  /**
   * The same, per category: one entry for every category with unread items, ordered by key;
   * a category not listed has none. Uncategorised items are only in the totals.
   */
  categoryCounts: t.Array(categoryCountJson),
});

export type CountsJson = Static<typeof countsJson>;

/** The totals alone: what a client that shows no per-category count reads. */
export type TotalCountsJson = Pick<CountsJson, "unreadCount" | "unseenCount">;

/** A category the tenant declared, as users and admins see it. */
export const categoryJson = t.Object({
  key: t.String(),
  /** Language tag to label; shown as text. */
  labels: t.Record(t.String(), t.String()),
  /** Tabs are ordered by position, then key. */
  position: t.Integer(),
  /** Whether users may turn it off (in the inbox or as toasts). */
  mutable: t.Boolean(),
});

export type CategoryJson = Static<typeof categoryJson>;

/** A user's preference for one category: listed and counted, and popped up as toasts. */
export const preferenceJson = t.Object({
  category: t.String(),
  inInbox: t.Boolean(),
  asToast: t.Boolean(),
});

export type PreferenceJson = Static<typeof preferenceJson>;

/**
 * `notification` and `update` events: the notification, whether the user wants it as a toast
 * (its category's `asToast`), and the user's counts.
 */
export type NotificationEventJson = NotificationJson & { toast: boolean } & CountsJson;

/** `delete` events: which notification went, and the user's counts. */
export type DeleteEventJson = { id: string } & CountsJson;

/**
 * `preferences` events: the user's whole set (one entry per category, in tab order), and
 * the counts after the change.
 */
export type PreferencesEventJson = { preferences: PreferenceJson[] } & CountsJson;
