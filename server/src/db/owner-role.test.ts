import { beforeAll, describe, expect, inject, it } from "vitest";
import { connect, createDatabase as createTestDatabase } from "../../../test/support/database.ts";
import { TEST_TENANT_ROLE_LIMITS } from "../../../test/support/tenant-role-limits.ts";
import { createDatabaseRole } from "../modules/admin/service.ts";
import { APP_ROLE, createDatabase } from "./client.ts";
import { runMigrations } from "./migrate.ts";
import { ensureOwnerRole, OWNER_ROLE } from "./owner-role.ts";

/**
 * The embedded setup's owner role: the schema is never owned by a superuser, and a database
 * set up by an older version (migrated as the superuser) is adopted in place.
 */
let superuserUrl: string;
let ownerUrl: string;

beforeAll(async () => {
  superuserUrl = await createTestDatabase(inject("postgresUrl"));
  // An older version's database: migrated as the superuser, with data in it.
  await runMigrations(superuserUrl);
  const sql = connect(superuserUrl, 1);
  await sql`INSERT INTO notify.tenants (id, name, signing_secret, api_key_hash)
    VALUES ('kept', 'Kept', 'secret', 'hash')`;
  await sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('kept', 'u', 'hi')`;
  await sql.end();
  ownerUrl = await ensureOwnerRole(superuserUrl, "owner-test-password");
  await runMigrations(ownerUrl);
});

describe("the owner role", () => {
  it("owns everything in the schema, and is no superuser", async () => {
    const sql = connect(ownerUrl, 1);
    try {
      const [me] = await sql`SELECT current_user AS name, rolsuper, rolbypassrls
        FROM pg_roles WHERE rolname = current_user`;
      expect(me).toEqual({ name: OWNER_ROLE, rolsuper: false, rolbypassrls: false });
      const foreign = await sql`
        SELECT c.oid::regclass::text AS name FROM pg_class c
        WHERE c.relnamespace IN ('notify'::regnamespace, 'drizzle'::regnamespace)
          AND pg_get_userbyid(c.relowner) <> ${OWNER_ROLE}
        UNION ALL
        SELECT p.oid::regprocedure::text FROM pg_proc p
        WHERE p.pronamespace = 'notify'::regnamespace AND pg_get_userbyid(p.proowner) <> ${OWNER_ROLE}
        UNION ALL
        SELECT nspname::text FROM pg_namespace
        WHERE nspname IN ('notify', 'drizzle') AND pg_get_userbyid(nspowner) <> ${OWNER_ROLE}`;
      expect(foreign.map((row) => row.name)).toEqual([]);
    } finally {
      await sql.end();
    }
  });

  it("keeps the data, and serves the cross-tenant jobs, requests and tenant roles", async () => {
    const owner = connect(ownerUrl, 1);
    const request = createDatabase(ownerUrl, 1, {
      role: APP_ROLE,
      statementTimeoutMs: 5_000,
      lockTimeoutMs: 1_000,
    });
    try {
      const [tenants] = await owner`SELECT count(*)::int AS n FROM notify.tenants`;
      expect(tenants?.n).toBe(1);
      const counts = await request.sql.begin((tx) => [
        tx`SELECT set_config('notify.tenant', 'kept', true)`,
        tx`SELECT count(*)::int AS n FROM notify.notifications`,
      ]);
      expect((counts[1] as unknown as { n: number }[])[0]?.n).toBe(1);

      const role = await createDatabaseRole(owner, "kept", TEST_TENANT_ROLE_LIMITS);
      const url = new URL(ownerUrl);
      url.username = role.role;
      url.password = role.password;
      const app = connect(url.toString(), 1);
      try {
        await app`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('kept', 'u', 'again')`;
        const [seen] = await app`SELECT count(*)::int AS n FROM notify.notifications`;
        expect(seen?.n).toBe(2);
      } finally {
        await app.end();
      }
    } finally {
      await owner.end();
      await request.sql.end();
    }
  });

  it("is idempotent: a second start changes nothing", async () => {
    expect(await ensureOwnerRole(superuserUrl, "owner-test-password")).toBe(ownerUrl);
    await runMigrations(ownerUrl);
  });
});
