import { cors } from "@elysiajs/cors";
import { decodeJwt } from "jose";
import type { TenantDirectory } from "../tenancy/directory.ts";
import { bearerToken } from "./bearer.ts";
import { queryTokens } from "./query-token.ts";

/**
 * Exact-match CORS, per tenant; never `*` on the API.
 *
 * A preflight carries no token, so it passes for an origin that any tenant allows. A real
 * request passes only for the origins of the tenant named in its user token. The tenant claim
 * is read without checking the signature: that only decides whether the browser may read the
 * answer, and a forged token still gets its 401 from the auth step (readable, so a widget can
 * tell "refresh the token" from "network down"). `/widget.js` sets its own `*`.
 */
export function tenantCors(directory: TenantDirectory) {
  return cors({
    origin: (request) => {
      const origin = request.headers.get("origin");
      if (!origin) return false;
      if (request.method === "OPTIONS") return directory.isAllowedByAnyTenant(origin);
      const tenantId = tokenTenant(request);
      return (
        tenantId !== undefined && (directory.get(tenantId)?.allowedOrigins.has(origin) ?? false)
      );
    },
    // PUT /v1/preferences and DELETE /v1/notifications/{id}/snooze are the widget's too.
    methods: ["GET", "POST", "PUT", "DELETE"],
    allowedHeaders: ["Authorization", "Content-Type", "Last-Event-ID", "Idempotency-Key"],
    exposeHeaders: ["Retry-After"],
    credentials: false,
    maxAge: 600,
  });
}

function tokenTenant(request: Request): string | undefined {
  const fromQuery = queryTokens(request.url);
  // Authentication refuses a repeated ?token=; so does CORS.
  const token =
    bearerToken(request.headers.get("authorization") ?? undefined) ??
    (fromQuery.length === 1 ? fromQuery[0] : undefined);
  if (!token) return undefined;
  try {
    const { tenant } = decodeJwt(token);
    return typeof tenant === "string" ? tenant : undefined;
  } catch {
    return undefined;
  }
}
