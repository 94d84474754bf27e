import { Elysia } from "elysia";
import type { Database } from "../../db/client.ts";
import { ApiError } from "../../http/api-error.ts";
import { refuseNonObjectBody } from "../../http/optional-object-body.ts";
import type { RateLimits } from "../../http/rate-limits.ts";
import { type TokenRules, type User, userAuth } from "../auth/index.ts";
import { changeGroup, listGrouped } from "./groups.ts";
import {
  actionParams,
  countResponse,
  groupBody,
  idParams,
  idsBody,
  listQuery,
  listResponse,
  MAX_SNOOZE_DAYS,
  readAllBody,
  snoozeBody,
} from "./model.ts";
import * as inbox from "./service.ts";

const DEFAULT_PAGE = 20;

/** A snooze's end as a time, or the reason it cannot be one. */
function snoozeTime(until: string): Date {
  const time = new Date(until);
  const now = Date.now();
  if (Number.isNaN(time.getTime()) || time.getTime() <= now) {
    throw new ApiError(400, "invalid_request", "until must be a time in the future");
  }
  if (time.getTime() > now + MAX_SNOOZE_DAYS * 86_400_000) {
    throw new ApiError(
      400,
      "invalid_request",
      `until must be at most ${MAX_SNOOZE_DAYS} days ahead`,
    );
  }
  return time;
}

/**
 * A page of the list: items, or with `group=true` groups (docs/design/grouping.md). Not
 * inline in the route: with `query.group` read in the handler itself, every list answer was a
 * 400 ("response/items: Expected required property") without the handler being called
 * (Elysia 1.4's handler analysis; grouping.test.ts and inbox.test.ts fail that way).
 */
function listPage(db: Database, user: User, query: typeof listQuery.static) {
  const options = {
    filter: query.filter ?? "all",
    category: query.category,
    limit: query.limit ?? DEFAULT_PAGE,
    cursor: query.cursor,
    groupKey: query.groupKey,
  };
  return query.group ? listGrouped(db, user, options) : inbox.list(db, user, options);
}

/** The end user's inbox, authenticated by the tenant-signed user token. */
export function inboxModule(db: Database, tokens: TokenRules, limits: RateLimits) {
  const detail = (summary: string) => ({ summary, tags: ["inbox"], security: [{ userToken: [] }] });
  return (
    new Elysia({ name: "inbox", prefix: "/v1/notifications" })
      .use(userAuth(tokens))
      .get(
        // The prefix alone: documented as served, with no trailing slash.
        "",
        ({ user, query }) => listPage(db, user, query),
        {
          query: listQuery,
          response: listResponse,
          detail: detail("List notifications, newest first"),
        },
      )
      .get("/unread-count", ({ user }) => inbox.counts(db, user), {
        response: countResponse,
        detail: detail("Unread and unseen counts"),
      })
      // Every route from here on changes rows and wakes streams: each counts against the
      // user's and the tenant's budget (shared by every instance), checked after validation.
      .onBeforeHandle(({ user }) => limits.userWrite(user.tenantId, user.recipient))
      .post("/read", ({ user, body }) => inbox.markRead(db, user, body.ids, true), {
        body: idsBody,
        response: countResponse,
        detail: detail("Mark notifications read"),
      })
      .post("/unread", ({ user, body }) => inbox.markRead(db, user, body.ids, false), {
        body: idsBody,
        response: countResponse,
        detail: detail("Mark notifications unread"),
      })
      .post("/seen", ({ user, body }) => inbox.markSeen(db, user, body.ids), {
        body: idsBody,
        response: countResponse,
        detail: detail("Mark notifications seen (shown to the user; still unread)"),
      })
      .post(
        "/:id/actions/:actionId",
        ({ user, params }) => inbox.takeAction(db, user, params.id, params.actionId),
        {
          params: actionParams,
          response: countResponse,
          detail: detail(
            "Take one of a notification's actions (idempotent; marks it read; one action per notification)",
          ),
        },
      )
      .post(
        "/:id/snooze",
        ({ user, params, body }) => inbox.snooze(db, user, params.id, snoozeTime(body.until)),
        {
          params: idParams,
          body: snoozeBody,
          response: countResponse,
          detail: detail(
            `Snooze a notification: out of lists and counts until \`until\` (at most ${MAX_SNOOZE_DAYS} days ahead), then back as new`,
          ),
        },
      )
      .delete("/:id/snooze", ({ user, params }) => inbox.unsnooze(db, user, params.id), {
        params: idParams,
        response: countResponse,
        detail: detail("Bring a snoozed notification back now"),
      })
      .post("/archive", ({ user, body }) => inbox.archive(db, user, body.ids), {
        body: idsBody,
        response: countResponse,
        detail: detail("Archive notifications"),
      })
      .post("/groups/read", ({ user, body }) => changeGroup(db, user, body, "read"), {
        body: groupBody,
        response: countResponse,
        detail: detail(
          "Mark a group read as one: its unread members (up to upTo); idempotent, no-op for a key without any",
        ),
      })
      .post("/groups/archive", ({ user, body }) => changeGroup(db, user, body, "archive"), {
        body: groupBody,
        response: countResponse,
        detail: detail(
          "Archive a group as one: its unread members (up to upTo); idempotent, no-op for a key without any",
        ),
      })
      .post("/read-all", ({ user, body }) => inbox.markAllRead(db, user, body ?? {}), {
        body: readAllBody,
        transform: refuseNonObjectBody,
        response: countResponse,
        detail: detail("Mark all read (optionally only up to an id, or of one category)"),
      })
  );
}
