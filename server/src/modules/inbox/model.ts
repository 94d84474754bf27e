import { t } from "elysia";
import { categoryLimits, groupKeyPattern } from "../../db/schema/index.ts";
import { countsJson, groupJson, notificationJson } from "../../notification-json.ts";

/** Notification ids as clients send them: decimal strings (what we return) or integers. */
const notificationId = t.Union([
  t.String({ pattern: "^[1-9][0-9]{0,17}$" }),
  t.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
]);

/** A category's key, as notifications carry it (one not declared matches nothing). */
const categoryKey = t.String({ minLength: 1, maxLength: categoryLimits.key });

export const MAX_IDS = 500;
export const MAX_PAGE = 100;

export const idsBody = t.Object(
  { ids: t.Array(notificationId, { minItems: 1, maxItems: MAX_IDS }) },
  { additionalProperties: false },
);

export const readAllBody = t.Optional(
  t.Object(
    {
      upTo: t.Optional(notificationId),
      category: t.Optional(categoryKey),
    },
    {
      additionalProperties: false,
      description:
        "upTo: the newest id the user has seen; later arrivals stay unread. category: only that category's (a tab). Omit both to mark everything.",
    },
  ),
);

export const listQuery = t.Object({
  filter: t.Optional(
    t.Union([t.Literal("unread"), t.Literal("all"), t.Literal("archived"), t.Literal("snoozed")]),
  ),
  category: t.Optional(categoryKey),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: MAX_PAGE })),
  cursor: t.Optional(t.String({ pattern: "^[1-9][0-9]{0,17}$" })),
  group: t.Optional(
    t.Boolean({
      description:
        "true: the unread items of one groupKey come as one item, the newest, with `group` set",
    }),
  ),
  groupKey: t.Optional(
    t.String({ pattern: groupKeyPattern, description: "Only the items of this group key" }),
  ),
});

export const listResponse = t.Composite([
  t.Object({
    items: t.Array(
      t.Object({
        ...notificationJson.properties,
        group: t.Optional(
          t.Nullable(groupJson, {
            description: "With group=true only: the group this item is the newest of, or null",
          }),
        ),
      }),
    ),
    nextCursor: t.Nullable(t.String()),
  }),
  countsJson,
]);

/** A group, to mark read or archive as one: its unread members, up to `upTo` if given. */
export const groupBody = t.Object(
  {
    groupKey: t.String({ pattern: groupKeyPattern }),
    upTo: t.Optional(notificationId),
  },
  {
    additionalProperties: false,
    description:
      "upTo: the group's newest member the user was shown; members arriving later stay unread. Omit to take every unread member.",
  },
);

export const countResponse = countsJson;

/** The path of an action click: the notification's id and one of its actions' ids. */
export const actionParams = t.Object({
  id: t.String({ pattern: "^[1-9][0-9]{0,17}$" }),
  actionId: t.String({ pattern: "^[A-Za-z0-9_.:-]{1,64}$" }),
});

/** The longest snooze: a reminder further out is a calendar's job. */
export const MAX_SNOOZE_DAYS = 90;

/** A notification's id in a path. */
export const idParams = t.Object({ id: t.String({ pattern: "^[1-9][0-9]{0,17}$" }) });

export const snoozeBody = t.Object(
  {
    until: t.String({
      format: "date-time",
      description: `When it comes back: a time in the future, at most ${MAX_SNOOZE_DAYS} days ahead.`,
    }),
  },
  { additionalProperties: false },
);

export type Filter = "unread" | "all" | "archived" | "snoozed";
export interface ListOptions {
  filter: Filter;
  /** Only the notifications of this category (a tab). */
  category?: string;
  limit: number;
  cursor?: string;
  /** Only the notifications of this group key (a group's members, to expand it). */
  groupKey?: string;
}
export type NotificationIds = (typeof idsBody.static)["ids"];
