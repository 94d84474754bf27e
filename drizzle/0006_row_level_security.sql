-- Tenant isolation in the database, so that a query that forgets its tenant filter still
-- cannot read or write another tenant's rows.
--
-- Who runs as what:
--   * The owner (the DATABASE_URL user) runs migrations and the few documented cross-tenant
--     jobs: loading the tenant directory, the listener's catch-up (heads only), retention,
--     erasure and the admin API. It gets an explicit policy, `owner_maintenance`.
--   * Requests are served as `notify_app`: it owns nothing, lacks BYPASSRLS, and sees only
--     the tenant named by `notify.tenant`, which the server sets per transaction
--     (set_config(..., true)).
--   * Tenant apps may insert with their own login role, made a member of
--     `notify_tenant_apps` and mapped to one tenant in notify.tenant_app_roles (migration 0005): they can only
--     write (and read back) that tenant's rows. Their policy does not read `notify.tenant`,
--     which any session can set.
-- Roles are cluster-wide, so creating them tolerates another database having done it first.
DO $$
BEGIN
  CREATE ROLE notify_app NOLOGIN NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
DO $$
BEGIN
  CREATE ROLE notify_tenant_apps NOLOGIN NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
DO $$
BEGIN
  -- The owner switches to notify_app for requests (SET ROLE through a startup option).
  EXECUTE format('GRANT notify_app TO %I', current_user);
EXCEPTION WHEN duplicate_object OR unique_violation OR invalid_grant_operation THEN NULL;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA notify TO notify_app, notify_tenant_apps;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON notify.notifications TO notify_app;
--> statement-breakpoint
GRANT SELECT ON notify.recipients TO notify_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON notify.idempotency_keys TO notify_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION notify.unread_count(text, text) TO notify_app, notify_tenant_apps;
--> statement-breakpoint
GRANT SELECT, INSERT ON notify.notifications TO notify_tenant_apps;
--> statement-breakpoint
GRANT SELECT ON notify.tenant_app_roles TO notify_tenant_apps;
--> statement-breakpoint
ALTER TABLE notify.tenants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notify.tenants FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notify.notifications ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notify.notifications FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notify.recipients ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notify.recipients FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notify.idempotency_keys ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notify.idempotency_keys FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notify.tenant_app_roles ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notify.tenant_app_roles FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['tenants', 'notifications', 'recipients', 'idempotency_keys', 'tenant_app_roles'] LOOP
    EXECUTE format('CREATE POLICY owner_maintenance ON notify.%I TO %I USING (true) WITH CHECK (true)',
                   t, current_user);
  END LOOP;
END $$;
--> statement-breakpoint
CREATE POLICY server_tenant ON notify.notifications TO notify_app
  USING (tenant_id = current_setting('notify.tenant', true))
  WITH CHECK (tenant_id = current_setting('notify.tenant', true));
--> statement-breakpoint
CREATE POLICY server_tenant ON notify.recipients TO notify_app
  USING (tenant_id = current_setting('notify.tenant', true));
--> statement-breakpoint
CREATE POLICY server_tenant ON notify.idempotency_keys TO notify_app
  USING (tenant_id = current_setting('notify.tenant', true))
  WITH CHECK (tenant_id = current_setting('notify.tenant', true));
--> statement-breakpoint
CREATE POLICY own_tenant ON notify.tenant_app_roles TO notify_tenant_apps
  USING (role_name = current_user);
--> statement-breakpoint
CREATE POLICY tenant_app ON notify.notifications TO notify_tenant_apps
  USING (tenant_id = (SELECT r.tenant_id FROM notify.tenant_app_roles r WHERE r.role_name = current_user))
  WITH CHECK (tenant_id = (SELECT r.tenant_id FROM notify.tenant_app_roles r WHERE r.role_name = current_user));
