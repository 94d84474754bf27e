CREATE TABLE "notify"."categories" (
	"tenant_id" text NOT NULL,
	"key" text NOT NULL,
	"labels" jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"mutable" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "categories_pkey" PRIMARY KEY("tenant_id","key"),
	CONSTRAINT "categories_key_length" CHECK (char_length("notify"."categories"."key") BETWEEN 1 AND 100),
	CONSTRAINT "categories_position" CHECK ("notify"."categories"."position" BETWEEN 0 AND 10000),
	CONSTRAINT "categories_labels" CHECK (jsonb_typeof("notify"."categories"."labels") = 'object'
        AND jsonb_array_length(jsonb_path_query_array("notify"."categories"."labels", '$.keyvalue()')) BETWEEN 1 AND 20
        AND jsonb_array_length(jsonb_path_query_array("notify"."categories"."labels", '$.keyvalue() ? (@.key like_regex "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$" && @.value.type() == "string" && @.value like_regex "^[^[:cntrl:]]{1,100}$")'))
          = jsonb_array_length(jsonb_path_query_array("notify"."categories"."labels", '$.keyvalue()')))
);
--> statement-breakpoint
CREATE TABLE "notify"."preferences" (
	"tenant_id" text NOT NULL,
	"recipient" text NOT NULL,
	"category" text NOT NULL,
	"in_inbox" boolean DEFAULT true NOT NULL,
	"as_toast" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"txid" "xid8" DEFAULT '1' NOT NULL,
	CONSTRAINT "preferences_pkey" PRIMARY KEY("tenant_id","recipient","category")
);
--> statement-breakpoint
ALTER TABLE "notify"."categories" ADD CONSTRAINT "categories_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "notify"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notify"."preferences" ADD CONSTRAINT "preferences_category" FOREIGN KEY ("tenant_id","category") REFERENCES "notify"."categories"("tenant_id","key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "preferences_txid" ON "notify"."preferences" USING btree ("txid");--> statement-breakpoint
-- Categories in use are declared before the foreign key checks them: labelled with their key,
-- in English, mutable. (RLS is not on yet for the new table; the owner runs migrations.)
INSERT INTO notify.categories (tenant_id, key, labels)
SELECT DISTINCT tenant_id, category, jsonb_build_object('en', category)
FROM notify.notifications WHERE category IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "notify"."notifications" ADD CONSTRAINT "notifications_category_declared" FOREIGN KEY ("tenant_id","category") REFERENCES "notify"."categories"("tenant_id","key") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
-- Categories and per-user preferences (issue #14).
--
-- What must stay true:
--   * A notification's category is declared (the foreign key above); a user's preference is
--     for a declared category, and goes with it.
--   * "Muted" means in_inbox = false for a mutable category, and is tested the same way
--     everywhere: counts (user_counts, which unread_count and unseen_count read), the
--     stream's reads and the inbox's lists (server/src/notify-row.ts, notMuted). A category that is not mutable counts as on, whatever is stored.
--   * A preference write is a change like a notification's: stamp_preference() stamps it
--     with its transaction id, changed_recipients() finds it between two ticks, and
--     stream_changes() returns the user's whole (effective) set with the range that holds it.
--     Making a category not mutable (or mutable) restamps the stored choices it overrides,
--     so those users' streams hear of it too.
--   * Counts stay one scan of the user's unread rows (fan-out depends on it): the muted
--     categories are an anti-join on the user's few preference rows, and the split by
--     category a grouping set over the same scan.
ALTER TABLE notify.categories ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notify.categories FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notify.preferences ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notify.preferences FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('CREATE POLICY owner_maintenance ON notify.categories TO %I USING (true) WITH CHECK (true)',
                 current_user);
  EXECUTE format('CREATE POLICY owner_maintenance ON notify.preferences TO %I USING (true) WITH CHECK (true)',
                 current_user);
END $$;
--> statement-breakpoint
CREATE POLICY server_tenant ON notify.categories TO notify_app
  USING (tenant_id = current_setting('notify.tenant', true));
--> statement-breakpoint
CREATE POLICY server_tenant ON notify.preferences TO notify_app
  USING (tenant_id = current_setting('notify.tenant', true))
  WITH CHECK (tenant_id = current_setting('notify.tenant', true));
--> statement-breakpoint
CREATE POLICY tenant_app ON notify.categories TO notify_tenant_apps
  USING (tenant_id = (SELECT r.tenant_id FROM notify.tenant_app_roles r WHERE r.role_name = current_user))
  WITH CHECK (tenant_id = (SELECT r.tenant_id FROM notify.tenant_app_roles r WHERE r.role_name = current_user));
--> statement-breakpoint
CREATE POLICY tenant_app ON notify.preferences TO notify_tenant_apps
  USING (tenant_id = (SELECT r.tenant_id FROM notify.tenant_app_roles r WHERE r.role_name = current_user));
--> statement-breakpoint
GRANT SELECT ON notify.categories TO notify_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON notify.preferences TO notify_app;
--> statement-breakpoint
-- Tenant apps declare categories in SQL, and change everything but the key; deleting one is
-- the admin API's (it is refused while notifications use it).
GRANT SELECT, INSERT (tenant_id, key, labels, position, mutable),
  UPDATE (labels, position, mutable) ON notify.categories TO notify_tenant_apps;
--> statement-breakpoint
GRANT SELECT ON notify.preferences TO notify_tenant_apps;
--> statement-breakpoint
-- At most 50 categories per tenant (categoryLimits in server/src/db/schema/categories.ts). Runs as the writer (its RLS shows it its tenant's rows,
-- all it counts); the advisory lock makes concurrent declarations for one tenant count in turn.
CREATE FUNCTION notify.limit_categories() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, notify, pg_temp AS $$
BEGIN
  IF TG_RELID <> 'notify.categories'::regclass OR TG_WHEN <> 'BEFORE' OR TG_LEVEL <> 'ROW' THEN
    RAISE EXCEPTION 'notify.limit_categories() runs only as the row trigger of notify.categories'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('notify.categories' || E'\n' || NEW.tenant_id, 0));
  -- An upsert of an existing key (INSERT … ON CONFLICT DO UPDATE) fires this too: not a new one.
  IF NOT EXISTS (SELECT 1 FROM notify.categories c WHERE c.tenant_id = NEW.tenant_id AND c.key = NEW.key)
     AND (SELECT count(*) FROM notify.categories c WHERE c.tenant_id = NEW.tenant_id) >= 50 THEN
    RAISE EXCEPTION 'a tenant has at most 50 categories'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'categories_per_tenant';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER limit_categories BEFORE INSERT ON notify.categories
  FOR EACH ROW EXECUTE FUNCTION notify.limit_categories();
--> statement-breakpoint
-- Stamps every preference write with the writing transaction (as stamp_change() does for
-- notifications), and keeps the row's identity fixed.
CREATE FUNCTION notify.stamp_preference() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, notify, pg_temp AS $$
BEGIN
  IF TG_RELID <> 'notify.preferences'::regclass OR TG_WHEN <> 'BEFORE' OR TG_LEVEL <> 'ROW' THEN
    RAISE EXCEPTION 'notify.stamp_preference() runs only as the row trigger of notify.preferences'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'UPDATE' AND (NEW.tenant_id, NEW.recipient, NEW.category)
                          IS DISTINCT FROM (OLD.tenant_id, OLD.recipient, OLD.category) THEN
    RAISE EXCEPTION 'notify.preferences: tenant_id, recipient and category cannot be changed'
      USING ERRCODE = 'check_violation';
  END IF;
  NEW.txid := pg_current_xact_id();
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER stamp_preference BEFORE INSERT OR UPDATE ON notify.preferences
  FOR EACH ROW EXECUTE FUNCTION notify.stamp_preference();
--> statement-breakpoint
-- A category made mutable or not changes what its users' stored choices mean: restamp those
-- that are not the default, so their streams get a `preferences` event with the new counts.
-- SECURITY DEFINER: a tenant role may update its categories but not its users' preferences;
-- it touches only the rows of the category the trigger fired for.
CREATE FUNCTION notify.restamp_preferences() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, notify, pg_temp AS $$
BEGIN
  IF TG_RELID <> 'notify.categories'::regclass OR TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW'
     OR TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'notify.restamp_preferences() runs only as the update trigger of notify.categories'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE notify.preferences p SET updated_at = p.updated_at
  WHERE p.tenant_id = NEW.tenant_id AND p.category = NEW.key AND NOT (p.in_inbox AND p.as_toast);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER restamp_preferences AFTER UPDATE OF mutable ON notify.categories
  FOR EACH ROW WHEN (OLD.mutable IS DISTINCT FROM NEW.mutable)
  EXECUTE FUNCTION notify.restamp_preferences();
--> statement-breakpoint
-- A user's effective preferences: one entry per declared category, in tab order, defaults
-- filled in, a category that is not mutable always on. The one definition of the
-- `preferences` JSON (GET/PUT /v1/preferences and the stream's `preferences` event).
CREATE FUNCTION notify.user_preferences(p_tenant text, p_recipient text) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, notify, pg_temp AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'category', c.key,
           'inInbox', coalesce(p.in_inbox, true) OR NOT c.mutable,
           'asToast', coalesce(p.as_toast, true) OR NOT c.mutable)
         ORDER BY c.position, c.key COLLATE "C"), '[]'::jsonb)
  FROM notify.categories c
  LEFT JOIN notify.preferences p
    ON p.tenant_id = c.tenant_id AND p.category = c.key AND p.recipient = p_recipient
  WHERE c.tenant_id = p_tenant
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION notify.user_preferences(text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION notify.user_preferences(text, text) TO notify_app;
--> statement-breakpoint
-- The user's counts, from one scan of their unread rows (fan-out depends on it), as 0021's
-- counted them (a group of unread rows counting once, in unseen while any member is), less
-- muted categories, and split by category: the grouping sets aggregate that one scan twice,
-- per category and in all. unread_count() and unseen_count() (0021) read its first two
-- columns, so tenants' SQL leaves muted categories out too. Its result type changes: dropped
-- and created again (SQL functions that call it look it up by name when they run).
DROP FUNCTION notify.user_counts(text, text);
--> statement-breakpoint
CREATE FUNCTION notify.user_counts(p_tenant text, p_recipient text)
RETURNS TABLE (unread integer, unseen integer, categories jsonb)
LANGUAGE sql STABLE SET search_path = pg_catalog, notify, pg_temp AS $$
  SELECT coalesce(max(g.unread) FILTER (WHERE g.total), 0),
         coalesce(max(g.unseen) FILTER (WHERE g.total), 0),
         coalesce(jsonb_agg(jsonb_build_object('category', g.category, 'unreadCount', g.unread,
                                               'unseenCount', g.unseen)
                            ORDER BY g.category COLLATE "C")
                    FILTER (WHERE NOT g.total AND g.category IS NOT NULL),
                  '[]'::jsonb)
  FROM (
    SELECT n.category, grouping(n.category) = 1 AS total,
           (count(*) FILTER (WHERE n.group_key IS NULL) + count(DISTINCT n.group_key))::int AS unread,
           (count(*) FILTER (WHERE n.group_key IS NULL AND n.seen_at IS NULL)
            + count(DISTINCT n.group_key) FILTER (WHERE n.seen_at IS NULL))::int AS unseen
    FROM notify.notifications n
    WHERE n.tenant_id = p_tenant AND n.recipient = p_recipient
      AND n.read_at IS NULL AND n.archived_at IS NULL AND n.snoozed_until IS NULL
      AND (n.expires_at IS NULL OR n.expires_at > now())
      AND NOT EXISTS (
        SELECT 1 FROM notify.preferences p JOIN notify.categories c
          ON c.tenant_id = p.tenant_id AND c.key = p.category
        WHERE p.tenant_id = p_tenant AND p.recipient = p_recipient AND p.category = n.category
          AND NOT p.in_inbox AND c.mutable)
    GROUP BY GROUPING SETS ((n.category), ())
  ) g
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION notify.user_counts(text, text) FROM PUBLIC;
--> statement-breakpoint
-- Runs as the caller (row-level security scopes it), as 0021 granted it.
GRANT EXECUTE ON FUNCTION notify.user_counts(text, text) TO notify_app, notify_tenant_apps;
--> statement-breakpoint
-- As 0016's, and preference writes.
CREATE OR REPLACE FUNCTION notify.changed_recipients(a pg_snapshot, b pg_snapshot)
RETURNS TABLE (tenant_id text, recipient text)
LANGUAGE sql STABLE SET search_path = pg_catalog, notify, pg_temp AS $$
  WITH running AS (SELECT array_agg(x) AS xids FROM pg_snapshot_xip(a) AS x)
  SELECT n.tenant_id, n.recipient FROM notify.notifications n
  WHERE n.txid >= pg_snapshot_xmax(a) AND n.txid < pg_snapshot_xmax(b)
    AND pg_visible_in_snapshot(n.txid, b)
  UNION
  SELECT n.tenant_id, n.recipient FROM notify.notifications n, running
  WHERE n.txid = ANY (running.xids) AND pg_visible_in_snapshot(n.txid, b)
  UNION
  SELECT t.tenant_id, t.recipient FROM notify.tombstones t
  WHERE t.txid >= pg_snapshot_xmax(a) AND t.txid < pg_snapshot_xmax(b)
    AND pg_visible_in_snapshot(t.txid, b)
  UNION
  SELECT t.tenant_id, t.recipient FROM notify.tombstones t, running
  WHERE t.txid = ANY (running.xids) AND pg_visible_in_snapshot(t.txid, b)
  UNION
  SELECT p.tenant_id, p.recipient FROM notify.preferences p
  WHERE p.txid >= pg_snapshot_xmax(a) AND p.txid < pg_snapshot_xmax(b)
    AND pg_visible_in_snapshot(p.txid, b)
  UNION
  SELECT p.tenant_id, p.recipient FROM notify.preferences p, running
  WHERE p.txid = ANY (running.xids) AND pg_visible_in_snapshot(p.txid, b)
$$;
--> statement-breakpoint
DROP FUNCTION notify.stream_heads(text, jsonb, integer);
--> statement-breakpoint
-- As 0020's, with the per-category counts.
CREATE FUNCTION notify.stream_heads(p_tenant text, p_requests jsonb, p_cap integer)
RETURNS TABLE (
  recipient text, from_tick bigint, to_tick bigint, head bigint, known boolean, backlog integer,
  unread_count integer, unseen_count integer, category_counts jsonb
)
LANGUAGE plpgsql SET search_path = pg_catalog, notify, pg_temp
SET plan_cache_mode = force_custom_plan AS $$
BEGIN
  PERFORM set_config('notify.tenant', p_tenant, true);
  RETURN QUERY
    WITH h AS (SELECT t.id, t.snapshot FROM notify.ticks t ORDER BY t.id DESC LIMIT 1),
    q AS (
      SELECT e.value->>0 AS recipient, (e.value->>1)::bigint AS from_tick,
             (e.value->>2)::bigint AS to_tick, a.snapshot AS a_snapshot, b.id AS b_id
      FROM jsonb_array_elements(p_requests) AS e(value)
      LEFT JOIN notify.ticks a ON a.id = (e.value->>1)::bigint
      LEFT JOIN notify.ticks b ON b.id = (e.value->>2)::bigint
    )
    SELECT q.recipient, q.from_tick, q.to_tick, h.id,
           q.from_tick IS NULL OR (q.a_snapshot IS NOT NULL AND q.b_id IS NOT NULL
                                   AND q.from_tick <= q.to_tick),
           CASE WHEN q.a_snapshot IS NULL THEN 0 ELSE (
             SELECT count(*)::int FROM (
               SELECT 1 FROM notify.notifications x
               WHERE x.tenant_id = p_tenant AND x.recipient = q.recipient
                 AND x.txid >= pg_snapshot_xmin(q.a_snapshot) AND x.txid < pg_snapshot_xmax(h.snapshot)
                 AND pg_visible_in_snapshot(x.txid, h.snapshot)
                 AND NOT pg_visible_in_snapshot(x.txid, q.a_snapshot)
               LIMIT p_cap) AS waiting) END,
           n.unread, n.unseen, n.categories
    FROM q CROSS JOIN h CROSS JOIN LATERAL notify.user_counts(p_tenant, q.recipient) n;
END
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION notify.stream_heads(text, jsonb, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION notify.stream_heads(text, jsonb, integer) TO notify_app;
--> statement-breakpoint
DROP FUNCTION notify.stream_changes(text, jsonb, integer);
--> statement-breakpoint
-- As 0021's, with the per-category counts, less muted categories' rows, with each row's
-- toast hint, and the user's whole preference set when any of it changed in the range.
CREATE FUNCTION notify.stream_changes(p_tenant text, p_requests jsonb, p_limit integer)
RETURNS TABLE (
  recipient text, from_tick bigint, to_tick bigint, after_id bigint, known boolean,
  unread_count integer, unseen_count integer, category_counts jsonb, preferences jsonb,
  id bigint, deleted boolean, created boolean, toast boolean,
  title text, body text, url text, category text, data jsonb, created_at timestamptz,
  read_at timestamptz, archived_at timestamptz, expires_at timestamptz, seen_at timestamptz,
  actor_name text, actor_avatar_url text, actions jsonb, action_taken text,
  action_taken_at timestamptz, snoozed_until timestamptz, group_key text
)
LANGUAGE plpgsql SET search_path = pg_catalog, notify, pg_temp
SET plan_cache_mode = force_custom_plan AS $$
BEGIN
  PERFORM set_config('notify.tenant', p_tenant, true);
  RETURN QUERY
    WITH r AS MATERIALIZED (
      SELECT e.value->>0 AS recipient, (e.value->>1)::bigint AS from_tick,
             (e.value->>2)::bigint AS to_tick, (e.value->>3)::bigint AS after_id, e.ordinality,
             a.snapshot AS a_snapshot, b.snapshot AS b_snapshot
      FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS e(value, ordinality)
      LEFT JOIN notify.ticks a ON a.id = (e.value->>1)::bigint
      LEFT JOIN notify.ticks b ON b.id = (e.value->>2)::bigint
    ),
    q AS MATERIALIZED (
      SELECT r.*, n.unread AS unread_count, n.unseen AS unseen_count, n.categories AS category_counts,
             ARRAY(SELECT p.category FROM notify.preferences p JOIN notify.categories c
                     ON c.tenant_id = p.tenant_id AND c.key = p.category
                   WHERE p.tenant_id = p_tenant AND p.recipient = r.recipient
                     AND NOT p.in_inbox AND c.mutable) AS muted,
             ARRAY(SELECT p.category FROM notify.preferences p JOIN notify.categories c
                     ON c.tenant_id = p.tenant_id AND c.key = p.category
                   WHERE p.tenant_id = p_tenant AND p.recipient = r.recipient
                     AND NOT p.as_toast AND c.mutable) AS quiet,
             CASE WHEN EXISTS (
               SELECT 1 FROM notify.preferences p
               WHERE p.tenant_id = p_tenant AND p.recipient = r.recipient
                 AND p.txid >= pg_snapshot_xmin(r.a_snapshot) AND p.txid < pg_snapshot_xmax(r.b_snapshot)
                 AND pg_visible_in_snapshot(p.txid, r.b_snapshot)
                 AND NOT pg_visible_in_snapshot(p.txid, r.a_snapshot))
             THEN notify.user_preferences(p_tenant, r.recipient) END AS preferences
      FROM r CROSS JOIN LATERAL notify.user_counts(p_tenant, r.recipient) n
    )
    SELECT q.recipient, q.from_tick, q.to_tick, q.after_id,
           q.a_snapshot IS NOT NULL AND q.b_snapshot IS NOT NULL, q.unread_count, q.unseen_count,
           q.category_counts, q.preferences,
           c.id, c.deleted, c.created, c.toast, c.title, c.body, c.url, c.category, c.data,
           c.created_at, c.read_at, c.archived_at, c.expires_at, c.seen_at, c.actor_name,
           c.actor_avatar_url, c.actions, c.action_taken, c.action_taken_at, c.snoozed_until,
           c.group_key
    FROM q
    LEFT JOIN LATERAL (
      SELECT u.* FROM (
        SELECT x.id, false AS deleted,
               NOT pg_visible_in_snapshot(x.created_txid, q.a_snapshot) AS created,
               x.category IS NULL OR x.category <> ALL (q.quiet) AS toast,
               x.title, x.body, x.url, x.category, x.data, x.created_at, x.read_at,
               x.archived_at, x.expires_at, x.seen_at, x.actor_name, x.actor_avatar_url,
               x.actions, x.action_taken, x.action_taken_at, x.snoozed_until, x.group_key
        FROM notify.notifications x
        WHERE x.tenant_id = p_tenant AND x.recipient = q.recipient AND x.id > q.after_id
          AND x.txid >= pg_snapshot_xmin(q.a_snapshot) AND x.txid < pg_snapshot_xmax(q.b_snapshot)
          AND pg_visible_in_snapshot(x.txid, q.b_snapshot)
          AND NOT pg_visible_in_snapshot(x.txid, q.a_snapshot)
          AND (x.expires_at IS NULL OR x.expires_at > now())
          AND (x.category IS NULL OR x.category <> ALL (q.muted))
        UNION ALL
        SELECT t.notification_id, true, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM notify.tombstones t
        WHERE q.from_tick > 0 -- a replay of everything has nothing to delete
          AND t.tenant_id = p_tenant AND t.recipient = q.recipient
          AND t.notification_id > q.after_id
          AND t.txid >= pg_snapshot_xmin(q.a_snapshot) AND t.txid < pg_snapshot_xmax(q.b_snapshot)
          AND pg_visible_in_snapshot(t.txid, q.b_snapshot)
          AND NOT pg_visible_in_snapshot(t.txid, q.a_snapshot)
      ) AS u
      ORDER BY u.id
      LIMIT p_limit
    ) AS c ON q.a_snapshot IS NOT NULL AND q.b_snapshot IS NOT NULL
    ORDER BY q.ordinality, c.id;
END
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION notify.stream_changes(text, jsonb, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION notify.stream_changes(text, jsonb, integer) TO notify_app;
