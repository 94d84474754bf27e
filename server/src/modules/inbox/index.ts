import { Elysia } from "elysia";
import type { Database } from "../../db/client.ts";
import { refuseNonObjectBody } from "../../http/optional-object-body.ts";
import type { RateLimits } from "../../http/rate-limits.ts";
import { type TokenRules, userAuth } from "../auth/index.ts";
import {
  actionParams,
  countResponse,
  idsBody,
  listQuery,
  listResponse,
  readAllBody,
} from "./model.ts";
import * as inbox from "./service.ts";

const DEFAULT_PAGE = 20;

/** The end user's inbox, authenticated by the tenant-signed user token. */
export function inboxModule(db: Database, tokens: TokenRules, limits: RateLimits) {
  const detail = (summary: string) => ({ summary, tags: ["inbox"], security: [{ userToken: [] }] });
  return (
    new Elysia({ name: "inbox", prefix: "/v1/notifications" })
      .use(userAuth(tokens))
      .get(
        // The prefix alone: documented as served, with no trailing slash.
        "",
        ({ user, query }) =>
          inbox.list(db, user, {
            filter: query.filter ?? "all",
            limit: query.limit ?? DEFAULT_PAGE,
            cursor: query.cursor,
          }),
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
      .post("/archive", ({ user, body }) => inbox.archive(db, user, body.ids), {
        body: idsBody,
        response: countResponse,
        detail: detail("Archive notifications"),
      })
      .post("/read-all", ({ user, body }) => inbox.markAllRead(db, user, body?.upTo), {
        body: readAllBody,
        transform: refuseNonObjectBody,
        response: countResponse,
        detail: detail("Mark all read (optionally only up to an id)"),
      })
  );
}
