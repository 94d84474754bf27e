import { t } from "elysia";
import { notificationJson } from "../../notification-json.ts";

/** Notification ids as clients send them: decimal strings (what we return) or integers. */
const notificationId = t.Union([
  t.String({ pattern: "^[1-9][0-9]{0,17}$" }),
  t.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
]);

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
    },
    {
      additionalProperties: false,
      description:
        "upTo: the newest id the user has seen; later arrivals stay unread. Omit to mark everything.",
    },
  ),
);

export const listQuery = t.Object({
  filter: t.Optional(t.Union([t.Literal("unread"), t.Literal("all"), t.Literal("archived")])),
  limit: t.Optional(t.Integer({ minimum: 1, maximum: MAX_PAGE })),
  cursor: t.Optional(t.String({ pattern: "^[1-9][0-9]{0,17}$" })),
});

export const listResponse = t.Object({
  items: t.Array(notificationJson),
  nextCursor: t.Nullable(t.String()),
  unreadCount: t.Integer(),
});

export const countResponse = t.Object({ unreadCount: t.Integer() });

export type Filter = "unread" | "all" | "archived";
export type NotificationIds = (typeof idsBody.static)["ids"];
