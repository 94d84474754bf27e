CREATE TABLE "notify"."retired_tenant_ids" (
	"id" text PRIMARY KEY NOT NULL,
	"retired_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notify"."tenants" ADD COLUMN "previous_signing_secret" text;--> statement-breakpoint
ALTER TABLE "notify"."tenants" ADD COLUMN "previous_secret_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notify"."tenants" ADD COLUMN "previous_api_key_hash" text;--> statement-breakpoint
ALTER TABLE "notify"."tenants" ADD COLUMN "previous_key_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notify"."tenants" ADD COLUMN "disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notify"."tenants" ADD CONSTRAINT "tenants_previous_api_key_hash_unique" UNIQUE("previous_api_key_hash");--> statement-breakpoint
-- Tenant lifecycle: rotation overlap columns, disable, and deletion that retires the id.
--
-- What must stay true:
--   * A retired id is never a tenant again. The check runs AFTER INSERT, so an insert that
--     waited on a concurrent delete of the same id (unique index) looks again with a fresh
--     snapshot and sees the tombstone that delete committed.
--   * Only the owner reads or writes retired_tenant_ids (RLS, no grants to other roles).
ALTER TABLE notify.retired_tenant_ids ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notify.retired_tenant_ids FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_maintenance ON notify.retired_tenant_ids TO %I USING (true) WITH CHECK (true)',
                 current_user);
END $$;
--> statement-breakpoint
CREATE FUNCTION notify.refuse_retired_tenant_id() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, notify, pg_temp AS $$
BEGIN
  IF TG_RELID <> 'notify.tenants'::regclass THEN
    RAISE EXCEPTION 'notify.refuse_retired_tenant_id() runs only as a trigger of notify.tenants'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF EXISTS (SELECT 1 FROM notify.retired_tenant_ids WHERE id = NEW.id) THEN
    RAISE EXCEPTION 'tenant id "%" belonged to a deleted tenant and cannot be used again', NEW.id
      USING ERRCODE = 'unique_violation', CONSTRAINT = 'tenants_id_retired';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION notify.refuse_retired_tenant_id() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER refuse_retired_tenant_id
AFTER INSERT OR UPDATE OF id ON notify.tenants
FOR EACH ROW EXECUTE FUNCTION notify.refuse_retired_tenant_id();
