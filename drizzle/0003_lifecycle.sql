ALTER TABLE "notify"."notifications" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notify"."tenants" ADD COLUMN "retention_days" integer;--> statement-breakpoint
CREATE INDEX "notifications_expiring" ON "notify"."notifications" USING btree ("tenant_id","recipient","expires_at") WHERE "notify"."notifications"."expires_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "notifications_tenant_created" ON "notify"."notifications" USING btree ("tenant_id","created_at");--> statement-breakpoint
ALTER TABLE "notify"."tenants" ADD CONSTRAINT "tenants_retention_days" CHECK ("notify"."tenants"."retention_days" BETWEEN 1 AND 36500);