import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../../test/support/database.ts";
import { ADMIN_TOKEN } from "../../../test/support/server-process.ts";
import { type Stack, startStack } from "../../../test/support/stack.ts";
import { api, createTenant } from "../../../test/support/tenants.ts";

/**
 * The database as a security boundary, attacked as a tenant app holding its own database role
 * (`POST /v1/admin/tenants/:id/database-roles`): the attacks an outside review ran (issue #10).
 */
let stack: Stack;
let attacker: ReturnType<typeof connect>;
const CONNECTION_LIMIT = 3;

beforeAll(async () => {
  stack = await startStack({ NOTIFY_TENANT_ROLE_CONNECTIONS: String(CONNECTION_LIMIT) });
  await createTenant(stack.server.url, "victim");
  await createTenant(stack.server.url, "attacker");
  await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title)
    VALUES ('victim', 'bob', 'hello')`;
  attacker = connect(await tenantRoleUrl("attacker"), 1);
});
afterAll(async () => {
  await attacker?.end();
  await stack?.stop();
});

async function tenantRoleUrl(tenantId: string): Promise<string> {
  const created = await api(
    stack.server.url,
    `/v1/admin/tenants/${tenantId}/database-roles`,
    ADMIN_TOKEN,
    { method: "POST" },
  );
  expect(created.status).toBe(201);
  const url = new URL(stack.databaseUrl);
  url.username = created.body.role;
  url.password = created.body.password;
  return url.toString();
}

/** Every trigger function in `notify`, whatever the delivery design of the day names them. */
async function triggerFunctions(): Promise<string[]> {
  const rows = await stack.sql`
    SELECT p.oid::regprocedure::text AS name FROM pg_proc p
    WHERE p.pronamespace = 'notify'::regnamespace AND p.prorettype = 'trigger'::regtype`;
  return rows.map((row) => row.name as string);
}

describe("a tenant's database role", () => {
  it("cannot attach any of our trigger functions to a table of its own", async () => {
    const functions = await triggerFunctions();
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      const attempt = attacker.begin(async (tx) => {
        await tx`CREATE TEMP TABLE mine (LIKE notify.notifications)`;
        await tx.unsafe(
          `CREATE TRIGGER t BEFORE INSERT OR UPDATE ON pg_temp.mine FOR EACH ROW EXECUTE FUNCTION ${fn}`,
        );
      });
      await expect(attempt, fn).rejects.toThrow("permission denied");
    }
  });

  it("cannot change another tenant's counts, nor run its own cast with the owner's rights", async () => {
    const before = await stack.sql`SELECT * FROM notify.notifications WHERE tenant_id = 'victim'`;
    const leaked: string[] = [];
    for (const fn of await triggerFunctions()) {
      // The reported escalation: a bigint column retyped to a type of the attacker's, with an
      // assignment cast whose function reads every tenant's signing secret.
      const attempt = attacker.begin(async (tx) => {
        await tx`CREATE TYPE pg_temp.loot AS (secrets text)`;
        await tx`CREATE FUNCTION pg_temp.steal(bigint) RETURNS pg_temp.loot LANGUAGE sql
          AS $$ SELECT ROW((SELECT string_agg(signing_secret, ',') FROM notify.tenants))::pg_temp.loot $$`;
        await tx`CREATE CAST (bigint AS pg_temp.loot) WITH FUNCTION pg_temp.steal(bigint) AS ASSIGNMENT`;
        await tx`CREATE TEMP TABLE mine (LIKE notify.notifications)`;
        const bigints = await tx`SELECT attname FROM pg_attribute
          WHERE attrelid = 'pg_temp.mine'::regclass AND atttypid = 'bigint'::regtype AND attnum > 0`;
        for (const { attname } of bigints) {
          await tx.unsafe(
            `ALTER TABLE pg_temp.mine ALTER COLUMN "${attname}" DROP NOT NULL, ALTER COLUMN "${attname}" DROP DEFAULT, ALTER COLUMN "${attname}" TYPE pg_temp.loot USING NULL`,
          );
        }
        await tx.unsafe(
          `CREATE TRIGGER t BEFORE INSERT OR UPDATE ON pg_temp.mine FOR EACH ROW EXECUTE FUNCTION ${fn}`,
        );
        await tx`INSERT INTO pg_temp.mine (tenant_id, recipient, title) VALUES ('victim', 'bob', 'x')`;
        const rows = await tx`SELECT row_to_json(m)::text AS row FROM pg_temp.mine m`;
        leaked.push(...rows.map((row) => row.row as string));
      });
      await expect(attempt, fn).rejects.toThrow("permission denied");
    }
    expect(leaked.join()).not.toMatch(/secrets/);
    const after = await stack.sql`SELECT * FROM notify.notifications WHERE tenant_id = 'victim'`;
    expect(after).toEqual(before);
  });

  it("can still insert its own tenant's notifications through the triggers", async () => {
    await attacker`INSERT INTO notify.notifications (tenant_id, recipient, title)
      VALUES ('attacker', 'carol', 'legit')`;
    const rows = await stack.sql`SELECT title FROM notify.notifications
      WHERE tenant_id = 'attacker' AND recipient = 'carol'`;
    expect(rows.map((row) => row.title)).toEqual(["legit"]);
  });

  it("has a connection limit and timeouts", async () => {
    const [role] = await stack.sql`
      SELECT r.rolconnlimit, r.rolsuper, r.rolcreaterole, r.rolbypassrls
      FROM pg_roles r JOIN notify.tenant_app_roles t ON t.role_name = r.rolname
      WHERE t.tenant_id = 'attacker'`;
    expect(role).toMatchObject({
      rolconnlimit: CONNECTION_LIMIT,
      rolsuper: false,
      rolcreaterole: false,
      rolbypassrls: false,
    });
    const [session] = await attacker`
      SELECT current_setting('statement_timeout') AS statement,
             current_setting('lock_timeout') AS lock,
             current_setting('idle_in_transaction_session_timeout') AS idle`;
    expect(session).toEqual({ statement: "30s", lock: "5s", idle: "1min" });

    const url = await tenantRoleUrl("attacker");
    const pools = Array.from({ length: CONNECTION_LIMIT + 1 }, () => connect(url, 1));
    try {
      const results = await Promise.allSettled(pools.map((pool) => pool`SELECT 1`));
      const refused = results.filter((result) => result.status === "rejected");
      expect(refused).toHaveLength(1);
      expect(String((refused[0] as PromiseRejectedResult).reason)).toContain(
        "too many connections",
      );
    } finally {
      await Promise.all(pools.map((pool) => pool.end({ timeout: 1 })));
    }
  });
});

describe("functions in the notify schema", () => {
  it("are not executable by PUBLIC, today's nor any made later", async () => {
    const open = await stack.sql`
      SELECT p.oid::regprocedure::text AS name FROM pg_proc p
      WHERE p.pronamespace = 'notify'::regnamespace
        AND (p.proacl IS NULL
             OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a
                        WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE'))`;
    expect(open.map((row) => row.name)).toEqual([]);

    // The owner (the role that ran the migrations) makes a new function, as a future
    // migration would, and forgets to revoke: default privileges have already done it.
    const [{ owner }] = (await stack.sql`
      SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = 'notify'`) as unknown as [
      { owner: string },
    ];
    await stack.sql.begin(async (tx) => {
      await tx.unsafe(`SET LOCAL ROLE "${owner}"`);
      await tx`CREATE FUNCTION notify.later_probe() RETURNS int LANGUAGE sql AS 'SELECT 1'`;
    });
    const [probe] = await attacker`
      SELECT has_function_privilege('notify.later_probe()', 'EXECUTE') AS allowed`;
    expect(probe?.allowed).toBe(false);
    await stack.sql`DROP FUNCTION notify.later_probe()`;
  });
});
