import { Elysia } from "elysia";
import type { Registry } from "prom-client";

/** `GET /metrics`: Prometheus text format. */
export function metricsModule(registry: Registry) {
  return new Elysia({ name: "metrics" }).get(
    "/metrics",
    async () =>
      new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } }),
    { detail: { summary: "Prometheus metrics", tags: ["operations"] } },
  );
}
