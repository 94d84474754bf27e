import postgres from "postgres";

/** The role that owns notify-bell's schema when the server runs its own (embedded) Postgres. */
export const OWNER_ROLE = "notify_owner";

/**
 * Makes `OWNER_ROLE` (a login role that is not a superuser and cannot bypass row-level
 * security, with CREATEROLE for tenant database roles) the owner of everything notify-bell
 * keeps in the database, and returns its URL. Run as a superuser, before migrations, at every
 * start; idempotent.
 *
 * Why: the schema's owner is what SECURITY DEFINER functions run as, and what a mistake in
 * one of them hands an attacker. Owned by a superuser, such a mistake is the whole cluster
 * and `COPY … TO PROGRAM`; owned by this role, it is this schema at most.
 *
 * A database first set up by an older version (everything owned by the superuser) is adopted
 * in place: ownership of the `notify` and `drizzle` schemas and all they contain moves to the
 * owner role, and the owner's row-level security policies follow.
 */
export async function ensureOwnerRole(superuserUrl: string, password: string): Promise<string> {
  const sql = postgres(superuserUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(7316402120)`;
      const [existing] = await tx`SELECT 1 FROM pg_roles WHERE rolname = ${OWNER_ROLE}`;
      const verb = existing ? "ALTER" : "CREATE";
      const [{ statement }] = (await tx`SELECT format(
          '%s ROLE %I LOGIN NOSUPERUSER CREATEROLE NOBYPASSRLS NOREPLICATION PASSWORD %L',
          ${verb}::text, ${OWNER_ROLE}::text, ${password}::text) AS statement`) as unknown as [
        { statement: string },
      ];
      await tx.unsafe(statement);
      await tx.unsafe(
        `GRANT CONNECT, CREATE ON DATABASE "${await databaseName(tx)}" TO ${OWNER_ROLE}`,
      );
      // The roles the migrations make (0006) are cluster-wide; the owner needs ADMIN on them to
      // hand them out (tenant database roles join notify_tenant_apps) and to switch to notify_app.
      for (const [role, set] of [
        ["notify_app", "TRUE"],
        ["notify_tenant_apps", "FALSE"],
      ] as const) {
        await tx.unsafe(`DO $$ BEGIN CREATE ROLE ${role} NOLOGIN NOBYPASSRLS;
          EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
        await tx.unsafe(
          `GRANT ${role} TO ${OWNER_ROLE} WITH ADMIN TRUE, INHERIT FALSE, SET ${set}`,
        );
      }
      await adoptExistingSchema(tx);
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
  const url = new URL(superuserUrl);
  url.username = OWNER_ROLE;
  url.password = password;
  return url.toString();
}

async function databaseName(tx: postgres.TransactionSql): Promise<string> {
  const [{ name }] = (await tx`SELECT current_database() AS name`) as unknown as [{ name: string }];
  return name;
}

/** An older version's objects, owned by the superuser, become the owner role's. */
async function adoptExistingSchema(tx: postgres.TransactionSql): Promise<void> {
  await tx.unsafe(`DO $$
DECLARE
  o record;
  previous text;
BEGIN
  SELECT pg_get_userbyid(nspowner) INTO previous FROM pg_namespace WHERE nspname = 'notify';
  IF previous IS NULL OR previous = '${OWNER_ROLE}' THEN
    RETURN;
  END IF;
  FOR o IN SELECT nspname FROM pg_namespace WHERE nspname IN ('notify', 'drizzle') LOOP
    EXECUTE format('ALTER SCHEMA %I OWNER TO ${OWNER_ROLE}', o.nspname);
  END LOOP;
  -- Tables carry their indexes and identity sequences with them.
  FOR o IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname IN ('notify', 'drizzle') AND c.relkind IN ('r', 'p', 'v', 'm')
  LOOP
    EXECUTE format('ALTER TABLE %s OWNER TO ${OWNER_ROLE}', o.name);
  END LOOP;
  FOR o IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname IN ('notify', 'drizzle') AND c.relkind = 'S'
             AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
  LOOP
    EXECUTE format('ALTER SEQUENCE %s OWNER TO ${OWNER_ROLE}', o.name);
  END LOOP;
  FOR o IN SELECT p.oid::regprocedure AS name FROM pg_proc p
           WHERE p.pronamespace = 'notify'::regnamespace
  LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO ${OWNER_ROLE}', o.name);
  END LOOP;
  FOR o IN SELECT pol.polname, pol.polrelid::regclass AS tbl FROM pg_policy pol
           JOIN pg_class c ON c.oid = pol.polrelid
           WHERE c.relnamespace = 'notify'::regnamespace
             AND pol.polroles = ARRAY[(SELECT oid FROM pg_roles WHERE rolname = previous)]
  LOOP
    EXECUTE format('ALTER POLICY %I ON %s TO ${OWNER_ROLE}', o.polname, o.tbl);
  END LOOP;
  -- Tenant roles made by the superuser: the owner manages them from now on.
  FOR o IN SELECT r.rolname FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid
           WHERE m.roleid = 'notify_tenant_apps'::regrole AND r.rolname <> '${OWNER_ROLE}'
  LOOP
    EXECUTE format('GRANT %I TO ${OWNER_ROLE} WITH ADMIN TRUE, INHERIT FALSE, SET FALSE', o.rolname);
  END LOOP;
  -- Functions the owner makes start without PUBLIC execute (as migration 0009 set for the
  -- role that ran it).
  ALTER DEFAULT PRIVILEGES FOR ROLE ${OWNER_ROLE} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
END $$`);
}
