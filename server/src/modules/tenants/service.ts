import { asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { tenants } from "../../db/schema/index.ts";
import { ApiError } from "../../http/api-error.ts";
import { hashApiKey, newApiKey, newSigningSecret } from "./credentials.ts";
import type { CreatedTenant, CreateTenantInput, TenantView, UpdateTenantInput } from "./model.ts";

/** An allowed origin must be exactly what a browser sends in `Origin`: no path, no slash. */
function checkOrigin(origin: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(origin);
  } catch {}
  const exact =
    parsed &&
    (parsed.protocol === "http:" || parsed.protocol === "https:") &&
    parsed.origin === origin;
  if (!exact) {
    throw new ApiError(
      400,
      "invalid_request",
      `allowedOrigins: "${origin}" is not an origin like https://app.example.com (scheme, host, optional port; nothing else)`,
    );
  }
}

/** Changes name, allowed origins or retention; secrets are not changed here. */
export async function updateTenant(
  db: Database,
  id: string,
  input: UpdateTenantInput,
): Promise<TenantView> {
  const allowedOrigins = input.allowedOrigins && [...new Set(input.allowedOrigins)];
  allowedOrigins?.forEach(checkOrigin);
  const [row] = await db
    .update(tenants)
    .set({ name: input.name, allowedOrigins, retentionDays: input.retentionDays })
    .where(eq(tenants.id, id))
    .returning({
      id: tenants.id,
      name: tenants.name,
      allowedOrigins: tenants.allowedOrigins,
      retentionDays: tenants.retentionDays,
    });
  if (!row) throw new ApiError(404, "not_found", `tenant "${id}" does not exist`);
  return row;
}

export async function createTenant(db: Database, input: CreateTenantInput): Promise<CreatedTenant> {
  const allowedOrigins = [...new Set(input.allowedOrigins)];
  allowedOrigins.forEach(checkOrigin);
  const signingSecret = newSigningSecret();
  const apiKey = newApiKey();
  const inserted = await db
    .insert(tenants)
    .values({
      id: input.id,
      name: input.name,
      allowedOrigins,
      signingSecret,
      apiKeyHash: hashApiKey(apiKey),
    })
    .onConflictDoNothing()
    .returning({ id: tenants.id });
  if (inserted.length === 0) {
    throw new ApiError(409, "conflict", `tenant "${input.id}" already exists`);
  }
  return { id: input.id, name: input.name, allowedOrigins, signingSecret, apiKey };
}

/** Every tenant, without secrets. */
export function listTenants(db: Database) {
  return db
    .select({
      id: tenants.id,
      name: tenants.name,
      allowedOrigins: tenants.allowedOrigins,
      createdAt: tenants.createdAt,
    })
    .from(tenants)
    .orderBy(asc(tenants.id));
}
