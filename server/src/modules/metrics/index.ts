import { Elysia } from "elysia";
import type { Registry } from "prom-client";
import { ApiError } from "../../http/api-error.ts";
import { bearerMatches } from "../../http/bearer.ts";

/**
 * `GET /metrics`: Prometheus text format, for `Authorization: Bearer <NOTIFY_METRICS_TOKEN>`
 * only (the series show how busy the server is, and, when asked for, which tenants use it).
 * Without that variable the endpoint is off (401), as the admin API is.
 */
export function metricsModule(registry: Registry, token: string | undefined) {
  return new Elysia({ name: "metrics" }).get(
    "/metrics",
    async ({ headers }) => {
      if (!token) {
        throw new ApiError(401, "unauthorized", "metrics are disabled: set NOTIFY_METRICS_TOKEN");
      }
      if (!bearerMatches(headers.authorization, token)) {
        throw new ApiError(401, "unauthorized", "metrics token missing or wrong");
      }
      return new Response(await registry.metrics(), {
        headers: { "content-type": registry.contentType },
      });
    },
    {
      detail: {
        summary: "Prometheus metrics (Bearer NOTIFY_METRICS_TOKEN)",
        tags: ["operations"],
        security: [{ metricsToken: [] }],
      },
    },
  );
}
