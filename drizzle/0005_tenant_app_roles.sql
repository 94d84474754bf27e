CREATE TABLE "notify"."tenant_app_roles" (
	"role_name" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notify"."tenant_app_roles" ADD CONSTRAINT "tenant_app_roles_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "notify"."tenants"("id") ON DELETE cascade ON UPDATE no action;