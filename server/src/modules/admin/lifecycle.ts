import type { TransactionSql } from "postgres";
import type { Sql } from "../../db/client.ts";
import { ApiError } from "../../http/api-error.ts";
import { hashApiKey, newApiKey, newSigningSecret } from "../../tenancy/credentials.ts";
import type { RotatedApiKey, RotatedSigningSecret, TenantStatus } from "./model.ts";

/**
 * A tenant's life after creation: credential rotation with an overlap, disable and enable,
 * deletion. Every change here updates notify.tenants, whose trigger tells every instance to
 * reload its directory; the directory then ends the streams the change revokes.
 *
 * The tenant's database roles follow it: disabled, they cannot log in; deleted, they are
 * dropped. Either way the sessions they already hold are ended.
 */

function notFound(id: string): ApiError {
  return new ApiError(404, "not_found", `tenant "${id}" does not exist`);
}

/**
 * A new signing secret; the old one stays valid for `overlapSeconds` (0: retired at once),
 * so pages holding tokens signed with it stay signed in. A secret replaced within another's
 * overlap ends that older secret's overlap now: at most two secrets are ever accepted.
 */
export async function rotateSigningSecret(
  sql: Sql,
  id: string,
  overlapSeconds: number,
): Promise<RotatedSigningSecret> {
  const signingSecret = newSigningSecret();
  const [row] = await sql<{ until: number | null }[]>`
    UPDATE notify.tenants
    SET previous_signing_secret = CASE WHEN ${overlapSeconds}::int > 0 THEN signing_secret END,
        previous_secret_expires_at = CASE WHEN ${overlapSeconds}::int > 0
          THEN now() + make_interval(secs => ${overlapSeconds}::int) END,
        signing_secret = ${signingSecret}
    WHERE id = ${id}
    RETURNING (extract(epoch FROM previous_secret_expires_at) * 1000)::float8 AS until`;
  if (!row) throw notFound(id);
  return { signingSecret, previousSecretValidUntil: isoOrNull(row.until) };
}

/** A new API key; the old one keeps working for `overlapSeconds` (0: refused at once). */
export async function rotateApiKey(
  sql: Sql,
  id: string,
  overlapSeconds: number,
): Promise<RotatedApiKey> {
  const apiKey = newApiKey();
  const [row] = await sql<{ until: number | null }[]>`
    UPDATE notify.tenants
    SET previous_api_key_hash = CASE WHEN ${overlapSeconds}::int > 0 THEN api_key_hash END,
        previous_key_expires_at = CASE WHEN ${overlapSeconds}::int > 0
          THEN now() + make_interval(secs => ${overlapSeconds}::int) END,
        api_key_hash = ${hashApiKey(apiKey)}
    WHERE id = ${id}
    RETURNING (extract(epoch FROM previous_key_expires_at) * 1000)::float8 AS until`;
  if (!row) throw notFound(id);
  return { apiKey, previousKeyValidUntil: isoOrNull(row.until) };
}

/**
 * Disables or enables a tenant. Disabled, its user tokens and API key are refused, its open
 * streams end (`tenant_disabled`), its database roles cannot log in and their sessions are
 * ended; its data is kept, and enabling it restores access.
 */
export async function setDisabled(sql: Sql, id: string, disabled: boolean): Promise<TenantStatus> {
  const roles = await sql.begin(async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      UPDATE notify.tenants
      SET disabled_at = CASE WHEN ${disabled}::boolean THEN coalesce(disabled_at, now()) END
      WHERE id = ${id}
      RETURNING id`;
    if (!row) throw notFound(id);
    const roles = await tenantRoles(tx, id);
    for (const role of roles) {
      await tx.unsafe(`ALTER ROLE ${role.quoted} ${disabled ? "NOLOGIN" : "LOGIN"}`);
    }
    return roles;
  });
  // After the commit: a session ended earlier could log in again before NOLOGIN took effect.
  if (disabled) await endSessions(sql, roles);
  return { id, disabled };
}

/**
 * Deletes a tenant, every notification of it, and its database roles (their sessions ended
 * first), and retires its id for good (migration 0010's trigger refuses to create it again).
 */
export async function deleteTenant(sql: Sql, id: string): Promise<void> {
  const roles = await sql.begin(async (tx) => {
    const roles = await tenantRoles(tx, id);
    for (const role of roles) await tx.unsafe(`ALTER ROLE ${role.quoted} NOLOGIN`);
    return roles;
  });
  await endSessions(sql, roles);
  await sql.begin(async (tx) => {
    const [row] = await tx`SELECT 1 FROM notify.tenants WHERE id = ${id} FOR UPDATE`;
    if (!row) throw notFound(id);
    await tx`INSERT INTO notify.retired_tenant_ids (id) VALUES (${id}) ON CONFLICT DO NOTHING`;
    await tx`DELETE FROM notify.tenants WHERE id = ${id}`;
    for (const role of roles) await tx.unsafe(`DROP ROLE IF EXISTS ${role.quoted}`);
  });
}

/**
 * Ends every session the roles hold. Signalling another role's backend takes that role's
 * privileges: the owner created these roles (so it holds ADMIN OPTION on them) and becomes
 * their member only for this, so it never keeps what they inherit (notify_tenant_apps).
 */
async function endSessions(sql: Sql, roles: TenantRole[]): Promise<void> {
  if (roles.length === 0) return;
  await sql.begin(async (tx) => {
    for (const role of roles) {
      await tx.unsafe(`GRANT ${role.quoted} TO CURRENT_USER WITH INHERIT TRUE, SET FALSE`);
    }
    const names = roles.map((role) => role.name);
    await tx`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ANY(${names})`;
    for (const role of roles) await tx.unsafe(`REVOKE ${role.quoted} FROM CURRENT_USER`);
  });
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

interface TenantRole {
  name: string;
  /** The name quoted as an identifier, for statements that cannot take parameters. */
  quoted: string;
}

async function tenantRoles(tx: TransactionSql, id: string): Promise<TenantRole[]> {
  return tx<TenantRole[]>`
    SELECT role_name AS name, quote_ident(role_name) AS quoted
    FROM notify.tenant_app_roles WHERE tenant_id = ${id}`;
}
