import { Elysia } from "elysia";
import type { Database } from "../../db/client.ts";
import type { RateLimits } from "../../http/rate-limits.ts";
import type { TenantDirectory } from "../../tenancy/directory.ts";
import { apiKeyAuth } from "../auth/index.ts";
import { publishBody, publishHeaders, publishResponse } from "./model.ts";
import { publish } from "./service.ts";

/** Publish API for tenant backends: `Authorization: Bearer <tenant API key>`. */
export function publishModule(db: Database, directory: TenantDirectory, limits: RateLimits) {
  return new Elysia({ name: "publish" }).use(apiKeyAuth(directory)).post(
    "/v1/notifications",
    async ({ tenantId, body, headers, set }) => {
      await limits.publish(tenantId, [...new Set(body.recipients)]);
      const result = await publish(db, tenantId, body, headers["idempotency-key"]);
      set.status = 201;
      return result;
    },
    {
      body: publishBody,
      headers: publishHeaders,
      response: { 201: publishResponse },
      detail: {
        summary: "Publish a notification to one or many recipients",
        tags: ["publish"],
        security: [{ apiKey: [] }],
      },
    },
  );
}
