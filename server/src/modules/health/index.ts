import { Elysia, t } from "elysia";
import type { Sql } from "../../db/client.ts";
import type { Hub } from "../../realtime/hub.ts";
import type { Listener } from "../../realtime/listener.ts";

const PROBE_TIMEOUT_MS = 2_000;

/**
 * `GET /healthz`: 200 when the database answers and the listener is LISTENing, else 503
 * (for load balancers; the stream itself never answers 5xx).
 */
export function healthModule(sql: Sql, listener: Listener, hub: Hub) {
  return new Elysia({ name: "health" }).get(
    "/healthz",
    async ({ set }) => {
      const database = await Promise.race([
        sql`SELECT 1`.then(
          () => "up" as const,
          () => "down" as const,
        ),
        Bun.sleep(PROBE_TIMEOUT_MS).then(() => "down" as const),
      ]);
      const ok = database === "up" && listener.status === "listening";
      set.status = ok ? 200 : 503;
      return {
        status: ok ? ("ok" as const) : ("degraded" as const),
        database,
        listener: listener.status,
        openStreams: hub.openStreams,
      };
    },
    {
      response: {
        200: t.Object({
          status: t.String(),
          database: t.String(),
          listener: t.String(),
          openStreams: t.Integer(),
        }),
        503: t.Object({
          status: t.String(),
          database: t.String(),
          listener: t.String(),
          openStreams: t.Integer(),
        }),
      },
      detail: { summary: "Health: database, listener and open streams", tags: ["operations"] },
    },
  );
}
