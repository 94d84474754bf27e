import { Elysia, t } from "elysia";
import type { RateLimits } from "../../http/rate-limits.ts";
import { type CloseReason, closeReasons } from "../../realtime/close-reasons.ts";
import type { Hub } from "../../realtime/hub.ts";
import { encodeEvent } from "../../realtime/sse-event.ts";
import { type TokenRules, userAuth } from "../auth/index.ts";
import { EventStream, eventStreamHeaders } from "./event-stream-response.ts";
import { revocationReason } from "./revocation.ts";

/**
 * `GET /v1/stream`: connects an authenticated user to the hub. Everything about what is
 * sent lives in `realtime/`; this route only turns the hub's writes into a response.
 *
 * Auth failures answer 401 (the token will not get better by retrying); once past auth the
 * answer is always 200, and a transient fault ends the stream with a `close` event instead
 * of an error status, because browsers stop reconnecting on any non-200.
 */
export function streamModule(
  hub: Hub,
  tokens: TokenRules,
  bufferBytes: number,
  limits: RateLimits,
) {
  return new Elysia({ name: "stream" }).use(userAuth(tokens, { allowQueryToken: true })).get(
    "/v1/stream",
    async ({ user, request, server, headers, query }) => {
      // Not a 429: a browser's EventSource would give up for good. The client is told to
      // come back after the wait instead.
      const waitMs = await limits.streamOpen(user.tenantId, user.recipient);
      if (waitMs > 0) return closedStream("rate_limited", waitMs);
      // The directory may have changed while the rate limit was checked: nothing awaits
      // between this check and `hub.open`, and later changes reach the stream through it.
      const revoked = revocationReason(tokens.directory, user.tenantId, user.keyId);
      if (revoked) return closedStream(revoked);
      const stream = new EventStream(request, server, bufferBytes);
      const subscriber = hub.open({
        tenantId: user.tenantId,
        recipient: user.recipient,
        lastEventId: headers["last-event-id"] ?? query.lastEventId,
        expiresAt: user.expiresAt,
        keyId: user.keyId,
        sink: stream,
      });
      stream.setOwner(subscriber);
      return new Response(stream.body, { headers: eventStreamHeaders });
    },
    {
      query: t.Object({
        token: t.Optional(t.String()),
        lastEventId: t.Optional(t.String()),
      }),
      detail: {
        summary: "Live stream of the user's notifications (Server-Sent Events)",
        description:
          "Events: notification, update, delete, preferences, reset, close (docs/stream-protocol.md). Resume with Last-Event-ID (header) or ?lastEventId=.",
        tags: ["stream"],
        security: [{ userToken: [] }],
      },
    },
  );
}

/** A stream that ends at once with a close event; `retryMs` says when to come back. */
function closedStream(reason: CloseReason, retryMs?: number): Response {
  const body =
    (retryMs === undefined ? "" : encodeEvent({ retry: retryMs })) +
    encodeEvent({ event: "close", data: JSON.stringify({ reason, ...closeReasons[reason] }) });
  return new Response(body, { headers: eventStreamHeaders });
}
