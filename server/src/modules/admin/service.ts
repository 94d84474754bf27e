import { randomBytes } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import type { TenantRoleLimits } from "../../config.ts";
import type { Database, Sql } from "../../db/client.ts";
import { tenants } from "../../db/schema/index.ts";
import { ApiError } from "../../http/api-error.ts";
import { hashApiKey, newApiKey, newSigningSecret } from "../../tenancy/credentials.ts";
import type { CreatedTenant, CreateTenantInput, TenantView, UpdateTenantInput } from "./model.ts";

/** Ids the demo's tenants use (demo/server/tenants.ts); no one else may create one. */
export const DEMO_PREFIX = "demo-";

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

/**
 * Allows `add` and stops allowing `remove`, keeping every other origin (the CLI's
 * `tenant update --add-origin/--remove-origin`). One statement, so two changes made at once
 * both land; the table's check refuses more than 50.
 */
export async function changeOrigins(
  db: Database,
  id: string,
  change: { name?: string; add: string[]; remove: string[] },
): Promise<TenantView> {
  change.add.forEach(checkOrigin);
  const [row] = await db
    .update(tenants)
    .set({
      name: change.name,
      // Lists bound as JSON text: Drizzle spreads a JS array into one parameter per item.
      allowedOrigins: sql`ARRAY(
        SELECT DISTINCT o FROM (
          SELECT unnest(${tenants.allowedOrigins})
          UNION ALL SELECT jsonb_array_elements_text(${JSON.stringify(change.add)}::jsonb)
        ) AS origins(o)
        WHERE o NOT IN (SELECT jsonb_array_elements_text(${JSON.stringify(change.remove)}::jsonb))
        ORDER BY o)`,
    })
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
  if (input.id.startsWith(DEMO_PREFIX)) {
    throw new ApiError(
      400,
      "invalid_request",
      `id: "${DEMO_PREFIX}" is reserved for the demo's own tenants; choose another id`,
    );
  }
  const allowedOrigins = [...new Set(input.allowedOrigins ?? [])];
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
    .returning({ id: tenants.id })
    .catch((error: unknown) => {
      if (isRetiredId(error)) {
        throw new ApiError(
          409,
          "conflict",
          `tenant id "${input.id}" belonged to a deleted tenant and cannot be used again`,
        );
      }
      throw error;
    });
  if (inserted.length === 0) {
    throw new ApiError(409, "conflict", `tenant "${input.id}" already exists`);
  }
  return { id: input.id, name: input.name, allowedOrigins, signingSecret, apiKey };
}

/** The refusal of migration 0010's trigger (drizzle wraps the driver's error in `cause`). */
function isRetiredId(error: unknown): boolean {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  return (cause as { constraint_name?: string })?.constraint_name === "tenants_id_retired";
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

/**
 * Creates a database login role for one tenant's app: a member of `notify_tenant_apps`,
 * mapped to the tenant in notify.tenant_app_roles, so row-level security lets it insert and
 * read only that tenant's notifications (migration 0006). Needs an owner with CREATEROLE.
 * The role gets `limits`: an enforced connection limit, and timeouts as its defaults.
 */
export async function createDatabaseRole(sql: Sql, tenantId: string, limits: TenantRoleLimits) {
  // Postgres cuts names at 63 bytes, and a cut name is not the one mapped below: a readable
  // prefix of the id (the mapping table, not the name, binds the role to its tenant) and 32
  // random bits fit for every id (at most 63 ASCII characters).
  const role = `notify_app_${tenantId.slice(0, 40).replaceAll("-", "_")}_${randomBytes(4).toString("hex")}`;
  const password = randomBytes(24).toString("base64url");
  return sql.begin(async (tx) => {
    const [tenant] = await tx`SELECT 1 FROM notify.tenants WHERE id = ${tenantId}`;
    if (!tenant) throw new ApiError(404, "not_found", `tenant "${tenantId}" does not exist`);
    const statements = (await tx`
      SELECT format('CREATE ROLE %I LOGIN PASSWORD %L CONNECTION LIMIT %s IN ROLE notify_tenant_apps',
                    ${role}::text, ${password}::text, ${limits.connectionLimit}::int) AS statement
      UNION ALL
      SELECT format('ALTER ROLE %I SET %I = %L', ${role}::text, setting, value)
      FROM (VALUES ('statement_timeout', ${`${limits.statementTimeoutMs}ms`}::text),
                   ('lock_timeout', ${`${limits.lockTimeoutMs}ms`}::text),
                   ('idle_in_transaction_session_timeout', ${`${limits.idleInTransactionMs}ms`}::text))
        AS settings(setting, value)`) as unknown as { statement: string }[];
    for (const { statement } of statements) await tx.unsafe(statement);
    await tx`INSERT INTO notify.tenant_app_roles (role_name, tenant_id) VALUES (${role}, ${tenantId})`;
    return { role, password };
  });
}
