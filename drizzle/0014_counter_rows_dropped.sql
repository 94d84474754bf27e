ALTER TABLE "notify"."recipients" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "notify"."recipients" CASCADE;--> statement-breakpoint
DROP INDEX "notify"."notifications_recipient_seq";--> statement-breakpoint
ALTER TABLE "notify"."notifications" DROP COLUMN "seq";--> statement-breakpoint
ALTER TABLE "notify"."notifications" DROP COLUMN "created_seq";