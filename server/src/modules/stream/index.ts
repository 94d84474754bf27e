import { Elysia, t } from "elysia";
import type { Hub } from "../../realtime/hub.ts";
import { userAuth } from "../auth/index.ts";
import type { TenantDirectory } from "../tenants/directory.ts";
import { createEventStreamResponse, eventStreamHeaders } from "./event-stream-response.ts";

/**
 * `GET /v1/stream`: connects an authenticated user to the hub. Everything about what is
 * sent lives in `realtime/`; this route only turns the hub's writes into a response.
 *
 * Auth failures answer 401 (the token will not get better by retrying); once past auth the
 * answer is always 200, and a transient fault ends the stream with a `close` event instead
 * of an error status, because browsers stop reconnecting on any non-200.
 */
export function streamModule(hub: Hub, directory: TenantDirectory, bufferBytes: number) {
  return new Elysia({ name: "stream" }).use(userAuth(directory, { allowQueryToken: true })).get(
    "/v1/stream",
    ({ user, request, server, headers, query }) => {
      let close = () => {};
      const { body, sink } = createEventStreamResponse(request, server, bufferBytes, () => close());
      const subscriber = hub.open({
        tenantId: user.tenantId,
        recipient: user.recipient,
        lastEventId: headers["last-event-id"] ?? query.lastEventId,
        expiresAt: user.expiresAt,
        sink,
      });
      close = () => subscriber.close();
      if (request.signal.aborted) close();
      return new Response(body, { headers: eventStreamHeaders });
    },
    {
      query: t.Object({
        token: t.Optional(t.String()),
        lastEventId: t.Optional(t.String()),
      }),
      detail: {
        summary: "Live stream of the user's notifications (Server-Sent Events)",
        description:
          "Events: notification, update, reset, close. Resume with Last-Event-ID (header) or ?lastEventId=.",
        tags: ["stream"],
        security: [{ userToken: [] }],
      },
    },
  );
}
