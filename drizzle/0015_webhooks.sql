CREATE TABLE "notify"."webhook_deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notify"."webhook_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"event_type" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
ALTER TABLE "notify"."tenants" ADD COLUMN "webhook_url" text;--> statement-breakpoint
ALTER TABLE "notify"."tenants" ADD COLUMN "webhook_secret" text;--> statement-breakpoint
ALTER TABLE "notify"."tenants" ADD COLUMN "webhook_events" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "notify"."webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "notify"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due" ON "notify"."webhook_deliveries" USING btree ("next_attempt_at") WHERE "notify"."webhook_deliveries"."delivered_at" IS NULL AND "notify"."webhook_deliveries"."failed_at" IS NULL;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_tenant" ON "notify"."webhook_deliveries" USING btree ("tenant_id","id");--> statement-breakpoint
ALTER TABLE "notify"."tenants" ADD CONSTRAINT "tenants_webhook_url" CHECK ("notify"."tenants"."webhook_url" IS NULL OR (char_length("notify"."tenants"."webhook_url") <= 2048 AND "notify"."tenants"."webhook_url" ~ '^https?://[^[:space:][:cntrl:]]+$'));--> statement-breakpoint
ALTER TABLE "notify"."tenants" ADD CONSTRAINT "tenants_webhook_complete" CHECK (("notify"."tenants"."webhook_url" IS NULL) = ("notify"."tenants"."webhook_secret" IS NULL));--> statement-breakpoint
ALTER TABLE "notify"."tenants" ADD CONSTRAINT "tenants_webhook_events" CHECK ("notify"."tenants"."webhook_events" <@ ARRAY['notification.read']::text[]);
--> statement-breakpoint
-- Webhooks (issue #14): the outbox above, filled in the transaction of the change it reports.
--
-- What must stay true:
--   * Rows are written only through notify.enqueue_webhook(), which checks that the tenant
--     is the one the request is scoped to and has subscribed to the event; the server's sender
--     (owner pool) is the only one that updates them.
--   * A tenant's database roles may read their own tenant's rows (what was sent, what failed),
--     never another's; nobody but the owner reads webhook secrets.
ALTER TABLE notify.webhook_deliveries ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notify.webhook_deliveries FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_maintenance ON notify.webhook_deliveries TO %I USING (true) WITH CHECK (true)',
                 current_user);
END $$;
--> statement-breakpoint
CREATE POLICY tenant_app ON notify.webhook_deliveries TO notify_tenant_apps
  USING (tenant_id = (SELECT r.tenant_id FROM notify.tenant_app_roles r WHERE r.role_name = current_user));
--> statement-breakpoint
GRANT SELECT ON notify.webhook_deliveries TO notify_tenant_apps;
--> statement-breakpoint
-- SECURITY DEFINER: the request role may neither read notify.tenants (secrets) nor write the
-- outbox directly. Safe against the cast and search_path tricks (0009): it assigns into no
-- caller-made type, and every name is qualified with a fixed search_path.
CREATE FUNCTION notify.enqueue_webhook(p_tenant text, p_type text, p_data jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, notify, pg_temp AS $$
BEGIN
  IF p_tenant IS DISTINCT FROM current_setting('notify.tenant', true) THEN
    RAISE EXCEPTION 'notify.enqueue_webhook: only for the tenant of the current transaction'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO notify.webhook_deliveries (tenant_id, event_type, data)
  SELECT t.id, p_type, p_data FROM notify.tenants t
  WHERE t.id = p_tenant AND t.webhook_url IS NOT NULL AND p_type = ANY (t.webhook_events);
END
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION notify.enqueue_webhook(text, text, jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION notify.enqueue_webhook(text, text, jsonb) TO notify_app;
