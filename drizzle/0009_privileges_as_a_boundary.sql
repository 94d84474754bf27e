-- Database privileges as a boundary (issue #10).
--
-- The hole this closes: Postgres lets PUBLIC execute every new function, and any role may
-- attach a trigger function it can execute to a temporary table of its own. A tenant role
-- attached notify.number_change() (SECURITY DEFINER) to such a table and so (a) moved other
-- tenants' counters, and (b) gave the table's `seq` column a type of its own with an
-- assignment cast it wrote: `RETURNING … INTO NEW.seq` ran that cast with the function
-- owner's rights, and read every tenant's signing secret. `SET search_path` does not help:
-- casts are found by type, not by name.
--
-- What must stay true:
--   * No function in `notify` is executable by PUBLIC; each is granted to the roles that call
--     it (0006-0008 grant the read functions). Trigger functions need no grant at all: Postgres
--     checks EXECUTE when a trigger is created, not when it fires, and only the owner creates
--     triggers on our tables.
--   * Functions the owner creates from now on start without PUBLIC execute (default
--     privileges, below), so a future migration cannot reopen this by forgetting a REVOKE.
--   * Every trigger function checks first that it fires on the table it was written for.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA notify FROM PUBLIC;
--> statement-breakpoint
-- Schema-level default privileges can only add to the global ones, so this is the global form
-- (for the migrating role, in this database).
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
--> statement-breakpoint
-- The numbering trigger, as in 0004, with the table check first. It stays SECURITY DEFINER
-- because tenant roles must not write the counter rows themselves; with the check, NEW always
-- has notify.notifications' own column types, so no caller-made type or cast is ever applied.
-- pg_temp is named last so that no temporary relation can stand in for ours.
CREATE OR REPLACE FUNCTION notify.number_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, notify, pg_temp AS $$
DECLARE
  was_unread int := 0;
  is_unread int := 0;
BEGIN
  IF TG_RELID <> 'notify.notifications'::regclass OR TG_WHEN <> 'BEFORE' OR TG_LEVEL <> 'ROW' THEN
    RAISE EXCEPTION 'notify.number_change() runs only as the row trigger of notify.notifications'
      USING ERRCODE = 'insufficient_privilege';
  END IF;

  IF TG_OP = 'DELETE' THEN
    IF OLD.read_at IS NULL AND OLD.archived_at IS NULL THEN
      UPDATE notify.recipients SET unread_count = unread_count - 1
      WHERE tenant_id = OLD.tenant_id AND recipient = OLD.recipient;
    END IF;
    RETURN OLD;
  END IF;

  IF TG_OP = 'UPDATE' THEN
    IF NEW.id <> OLD.id OR NEW.tenant_id <> OLD.tenant_id OR NEW.recipient <> OLD.recipient THEN
      RAISE EXCEPTION 'notify.notifications: id, tenant_id and recipient cannot be changed'
        USING ERRCODE = 'check_violation';
    END IF;
    NEW.created_seq := OLD.created_seq;
    IF (NEW.title, NEW.body, NEW.url, NEW.category, NEW.data, NEW.read_at, NEW.archived_at,
        NEW.expires_at)
       IS NOT DISTINCT FROM
       (OLD.title, OLD.body, OLD.url, OLD.category, OLD.data, OLD.read_at, OLD.archived_at,
        OLD.expires_at) THEN
      NEW.seq := OLD.seq;
      RETURN NEW;
    END IF;
    was_unread := (OLD.read_at IS NULL AND OLD.archived_at IS NULL)::int;
  END IF;

  is_unread := (NEW.read_at IS NULL AND NEW.archived_at IS NULL)::int;

  INSERT INTO notify.recipients AS r (tenant_id, recipient, last_seq, unread_count)
  VALUES (NEW.tenant_id, NEW.recipient, 1, is_unread)
  ON CONFLICT (tenant_id, recipient) DO UPDATE
    SET last_seq = r.last_seq + 1,
        unread_count = r.unread_count + is_unread - was_unread
  RETURNING last_seq INTO NEW.seq;

  IF TG_OP = 'INSERT' THEN
    NEW.created_seq := NEW.seq;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION notify.wake_recipients() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, notify, pg_temp AS $$
BEGIN
  IF TG_RELID <> 'notify.notifications'::regclass THEN
    RAISE EXCEPTION 'notify.wake_recipients() runs only as a trigger of notify.notifications'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM pg_notify('notify_bell', json_build_array(tenant_id, recipient)::text)
  FROM (SELECT DISTINCT tenant_id, recipient FROM changed) AS touched;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION notify.wake_tenants() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, notify, pg_temp AS $$
BEGIN
  IF TG_RELID <> 'notify.tenants'::regclass THEN
    RAISE EXCEPTION 'notify.wake_tenants() runs only as a trigger of notify.tenants'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM pg_notify('notify_bell_tenants', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- CREATE OR REPLACE keeps the ACL, but say it again so this file alone is the truth.
REVOKE EXECUTE ON FUNCTION notify.number_change(), notify.wake_recipients(), notify.wake_tenants()
  FROM PUBLIC;
--> statement-breakpoint
-- Tenant roles made before this migration get the documented limits (the server gives new
-- ones the configured values; see "Tenant database roles" in the docs). Timeouts set on a
-- role are defaults its sessions could change; the connection limit is enforced.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT role_name FROM notify.tenant_app_roles LOOP
    BEGIN
      EXECUTE format('ALTER ROLE %I CONNECTION LIMIT 10', r.role_name);
      EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', r.role_name, '30s');
      EXECUTE format('ALTER ROLE %I SET lock_timeout = %L', r.role_name, '5s');
      EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', r.role_name, '60s');
    EXCEPTION WHEN undefined_object OR insufficient_privilege THEN
      RAISE NOTICE 'tenant role % not updated: %', r.role_name, SQLERRM;
    END;
  END LOOP;
END $$;
