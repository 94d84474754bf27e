import { Elysia, t } from "elysia";
import type { Sql } from "../../db/client.ts";
import type { EmbeddedHealth } from "../../db/embedded.ts";
import type { Hub } from "../../realtime/hub.ts";
import type { Listener } from "../../realtime/listener.ts";

const PROBE_TIMEOUT_MS = 2_000;

const healthBody = t.Object({
  status: t.Union([t.Literal("ok"), t.Literal("degraded")]),
  database: t.Union([t.Literal("up"), t.Literal("down")]),
  listener: t.String(),
  openStreams: t.Integer(),
  embeddedPostgres: t.Optional(
    t.Object(
      {
        state: t.Union([
          t.Literal("starting"),
          t.Literal("running"),
          t.Literal("restarting"),
          t.Literal("stopped"),
        ]),
        restarts: t.Integer({
          description: "Times it died under the server and was started again",
        }),
        lastExit: t.Optional(t.String({ description: "How it last died, and when" })),
        lastError: t.Optional(
          t.String({ description: "Why the last attempt to start it again failed" }),
        ),
      },
      { description: "Only when the server runs its own (embedded) Postgres" },
    ),
  ),
});

/**
 * `GET /healthz`: 200 when the database answers and the listener is LISTENing, else 503
 * (for load balancers; the stream itself never answers 5xx). With the embedded Postgres, also
 * what happened to it: a dead one is started again by the server, and this says so.
 */
export function healthModule(
  sql: Sql,
  listener: Listener,
  hub: Hub,
  embedded?: { readonly health: EmbeddedHealth },
) {
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
        ...(embedded ? { embeddedPostgres: embedded.health } : {}),
      };
    },
    {
      response: { 200: healthBody, 503: healthBody },
      detail: { summary: "Health: database, listener and open streams", tags: ["operations"] },
    },
  );
}
