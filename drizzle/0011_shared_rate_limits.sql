CREATE TABLE "notify"."rate_limits" (
	"key" varchar(255) PRIMARY KEY NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"expire" bigint
);
--> statement-breakpoint
-- Shared rate limits: the request role counts, nobody else reads or writes them.
--
-- What must stay true:
--   * Only notify_app (the server's request role) and the owner touch notify.rate_limits;
--     tenant roles have no grant, so they can neither read who is limited nor reset a count.
--   * Keys hold no recipient id in clear (the server hashes them), so the table leaks nothing.
ALTER TABLE notify.rate_limits ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notify.rate_limits FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_maintenance ON notify.rate_limits TO %I USING (true) WITH CHECK (true)',
                 current_user);
END $$;
--> statement-breakpoint
CREATE POLICY server_limits ON notify.rate_limits TO notify_app USING (true) WITH CHECK (true);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON notify.rate_limits TO notify_app;
