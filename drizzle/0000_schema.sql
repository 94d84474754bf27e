CREATE SCHEMA "notify";
--> statement-breakpoint
CREATE TABLE "notify"."idempotency_keys" (
	"tenant_id" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" integer NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_tenant_id_key_pk" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
CREATE TABLE "notify"."notifications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notify"."notifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"recipient" text NOT NULL,
	"seq" bigint DEFAULT 0 NOT NULL,
	"created_seq" bigint DEFAULT 0 NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"url" text,
	"category" text,
	"data" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	CONSTRAINT "notifications_recipient_length" CHECK (char_length("notify"."notifications"."recipient") BETWEEN 1 AND 256),
	CONSTRAINT "notifications_title_length" CHECK (char_length("notify"."notifications"."title") BETWEEN 1 AND 1000),
	CONSTRAINT "notifications_body_length" CHECK (char_length("notify"."notifications"."body") <= 10000),
	CONSTRAINT "notifications_url_format" CHECK (char_length("notify"."notifications"."url") <= 2048 AND "notify"."notifications"."url" ~* '^(https?://[^[:space:][:cntrl:]]+|/([^/\\[:space:][:cntrl:]][^[:space:][:cntrl:]]*)?)$'),
	CONSTRAINT "notifications_category_length" CHECK (char_length("notify"."notifications"."category") BETWEEN 1 AND 100),
	CONSTRAINT "notifications_data_object" CHECK (jsonb_typeof("notify"."notifications"."data") = 'object' AND octet_length("notify"."notifications"."data"::text) <= 16384)
);
--> statement-breakpoint
CREATE TABLE "notify"."recipients" (
	"tenant_id" text NOT NULL,
	"recipient" text NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	"unread_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "recipients_tenant_id_recipient_pk" PRIMARY KEY("tenant_id","recipient")
);
--> statement-breakpoint
CREATE TABLE "notify"."tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"allowed_origins" text[] DEFAULT '{}'::text[] NOT NULL,
	"signing_secret" text NOT NULL,
	"api_key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_api_key_hash_unique" UNIQUE("api_key_hash"),
	CONSTRAINT "tenants_id_format" CHECK ("notify"."tenants"."id" ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
	CONSTRAINT "tenants_name_length" CHECK (char_length("notify"."tenants"."name") BETWEEN 1 AND 200),
	CONSTRAINT "tenants_allowed_origins_count" CHECK (cardinality("notify"."tenants"."allowed_origins") <= 50)
);
--> statement-breakpoint
ALTER TABLE "notify"."idempotency_keys" ADD CONSTRAINT "idempotency_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "notify"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notify"."notifications" ADD CONSTRAINT "notifications_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "notify"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notify"."recipients" ADD CONSTRAINT "recipients_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "notify"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_recipient_seq" ON "notify"."notifications" USING btree ("tenant_id","recipient","seq");--> statement-breakpoint
CREATE INDEX "notifications_recipient_id" ON "notify"."notifications" USING btree ("tenant_id","recipient","id" DESC NULLS LAST);