import { Elysia } from "elysia";
import type { Database } from "../../db/client.ts";
import { ApiError } from "../../http/api-error.ts";
import type { RateLimits } from "../../http/rate-limits.ts";
import { bearerToken } from "../auth/bearer.ts";
import { hashApiKey } from "../tenants/credentials.ts";
import type { TenantDirectory } from "../tenants/directory.ts";
import { publishBody, publishHeaders, publishResponse } from "./model.ts";
import { publish } from "./service.ts";

/** Publish API for tenant backends: `Authorization: Bearer <tenant API key>`. */
export function publishModule(db: Database, directory: TenantDirectory, limits: RateLimits) {
  return new Elysia({ name: "publish" })
    .derive(async ({ headers }) => {
      const apiKey = bearerToken(headers.authorization);
      if (!apiKey)
        throw new ApiError(
          401,
          "unauthorized",
          "send the tenant API key as Authorization: Bearer <key>",
        );
      const tenant = await directory.findByApiKeyHash(hashApiKey(apiKey));
      if (!tenant) throw new ApiError(401, "unauthorized", "unknown API key");
      if (tenant.disabled) {
        throw new ApiError(403, "tenant_disabled", "this tenant is disabled by the operator");
      }
      return { tenantId: tenant.id };
    })
    .post(
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
