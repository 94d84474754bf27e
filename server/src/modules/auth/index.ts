import { Elysia } from "elysia";
import { ApiError } from "../../http/api-error.ts";
import { bearerMatches, bearerToken } from "../../http/bearer.ts";
import { queryTokens } from "../../http/query-token.ts";
import { hashApiKey } from "../../tenancy/credentials.ts";
import type { TenantDirectory } from "../../tenancy/directory.ts";
import { type TokenRules, type User, verifyUserToken } from "./user-token.ts";

export type { TokenRules, User } from "./user-token.ts";

/**
 * The three ways in, one guard each, for the modules that use them: a user (a tenant's signed
 * token: inbox, stream), a tenant backend (its API key: publish), the operator (the admin
 * token: admin API). Each is scoped to the module that uses it, so no route is guarded by
 * accident, and each refuses before the body is validated: a caller without credentials
 * learns nothing about what the route accepts.
 */

/**
 * Adds `user`. The token comes from `Authorization: Bearer`; with `allowQueryToken`, also
 * from `?token=` (for plain EventSource, which cannot set headers). Request logs never
 * include the query string.
 */
export function userAuth(rules: TokenRules, { allowQueryToken = false } = {}) {
  return new Elysia().derive(
    { as: "scoped" },
    async ({ headers, request }): Promise<{ user: User }> => {
      let token = bearerToken(headers.authorization);
      if (token === undefined && allowQueryToken) {
        const fromQuery = queryTokens(request.url);
        if (fromQuery.length > 1) {
          throw new ApiError(400, "invalid_request", "send one ?token=, not several");
        }
        token = fromQuery[0];
      }
      if (!token) {
        throw new ApiError(
          401,
          "unauthorized",
          "send the user token as Authorization: Bearer <jwt>",
        );
      }
      return { user: await verifyUserToken(token, rules) };
    },
  );
}

/** Adds `tenantId` for `Authorization: Bearer <tenant API key>` of an enabled tenant. */
export function apiKeyAuth(directory: TenantDirectory) {
  return new Elysia().derive(
    { as: "scoped" },
    async ({ headers }): Promise<{ tenantId: string }> => {
      const apiKey = bearerToken(headers.authorization);
      if (!apiKey) {
        throw new ApiError(
          401,
          "unauthorized",
          "send the tenant API key as Authorization: Bearer <key>",
        );
      }
      const tenant = await directory.findByApiKeyHash(hashApiKey(apiKey));
      if (!tenant) throw new ApiError(401, "unauthorized", "unknown API key");
      if (tenant.disabled) {
        throw new ApiError(403, "tenant_disabled", "this tenant is disabled by the operator");
      }
      return { tenantId: tenant.id };
    },
  );
}

/** `Authorization: Bearer <NOTIFY_ADMIN_TOKEN>`; without that variable, every request is 401. */
export function adminAuth(adminToken: string | undefined) {
  return new Elysia().onTransform({ as: "scoped" }, ({ headers }) => {
    if (!adminToken) {
      throw new ApiError(401, "unauthorized", "the admin API is disabled: set NOTIFY_ADMIN_TOKEN");
    }
    if (!bearerMatches(headers.authorization, adminToken)) {
      throw new ApiError(401, "unauthorized", "admin token missing or wrong");
    }
  });
}
