CREATE TABLE "notify"."ticks" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notify"."ticks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"snapshot" "pg_snapshot" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notify"."tombstones" (
	"notification_id" bigint PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"recipient" text NOT NULL,
	"txid" "xid8" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notify"."notifications" ADD COLUMN "txid" "xid8" DEFAULT '1' NOT NULL;--> statement-breakpoint
ALTER TABLE "notify"."notifications" ADD COLUMN "created_txid" "xid8" DEFAULT '1' NOT NULL;--> statement-breakpoint
CREATE INDEX "tombstones_recipient_txid" ON "notify"."tombstones" USING btree ("tenant_id","recipient","txid");--> statement-breakpoint
CREATE INDEX "tombstones_txid" ON "notify"."tombstones" USING btree ("txid");--> statement-breakpoint
CREATE INDEX "notifications_recipient_txid" ON "notify"."notifications" USING btree ("tenant_id","recipient","txid");--> statement-breakpoint
CREATE INDEX "notifications_txid" ON "notify"."notifications" USING btree ("txid");--> statement-breakpoint
CREATE INDEX "notifications_unread" ON "notify"."notifications" USING btree ("tenant_id","recipient") WHERE "notify"."notifications"."read_at" IS NULL AND "notify"."notifications"."archived_at" IS NULL;