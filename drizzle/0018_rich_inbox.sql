ALTER TABLE "notify"."tenants" DROP CONSTRAINT "tenants_webhook_events";--> statement-breakpoint
ALTER TABLE "notify"."notifications" ADD COLUMN "seen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notify"."notifications" ADD COLUMN "actor_name" text;--> statement-breakpoint
ALTER TABLE "notify"."notifications" ADD COLUMN "actor_avatar_url" text;--> statement-breakpoint
ALTER TABLE "notify"."notifications" ADD COLUMN "actions" jsonb;--> statement-breakpoint
ALTER TABLE "notify"."notifications" ADD COLUMN "action_taken" text;--> statement-breakpoint
ALTER TABLE "notify"."notifications" ADD COLUMN "action_taken_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notify"."notifications" ADD CONSTRAINT "notifications_actor_name_length" CHECK (char_length("notify"."notifications"."actor_name") BETWEEN 1 AND 100);--> statement-breakpoint
ALTER TABLE "notify"."notifications" ADD CONSTRAINT "notifications_actor_avatar_url" CHECK ("notify"."notifications"."actor_avatar_url" IS NULL OR ("notify"."notifications"."actor_name" IS NOT NULL AND char_length("notify"."notifications"."actor_avatar_url") <= 2048 AND "notify"."notifications"."actor_avatar_url" ~* '^(https://[^[:space:][:cntrl:]]+|/([^/\\[:space:][:cntrl:]][^[:space:][:cntrl:]]*)?)$'));--> statement-breakpoint
ALTER TABLE "notify"."notifications" ADD CONSTRAINT "notifications_actions" CHECK (CASE jsonb_typeof("notify"."notifications"."actions") WHEN 'array' THEN
        jsonb_array_length("notify"."notifications"."actions") BETWEEN 1 AND 2
        AND octet_length("notify"."notifications"."actions"::text) <= 4096
        AND jsonb_array_length(jsonb_path_query_array("notify"."notifications"."actions", '$[*] ? (@.type() == "object" && @.id like_regex "^[A-Za-z0-9_.:-]{1,64}$" && @.label like_regex "^[^[:cntrl:]]{1,80}$" && (!exists(@.url) || @.url like_regex "^(https?://[^[:space:][:cntrl:]]+|/([^/\\\\[:space:][:cntrl:]][^[:space:][:cntrl:]]*)?)$" flag "i") && (!exists(@.style) || @.style == "primary" || @.style == "secondary") && !exists(@.keyvalue() ? (@.key != "id" && @.key != "label" && @.key != "url" && @.key != "style")))')) = jsonb_array_length("notify"."notifications"."actions")
        AND ("notify"."notifications"."actions"->0->>'id') IS DISTINCT FROM ("notify"."notifications"."actions"->1->>'id')
        ELSE "notify"."notifications"."actions" IS NULL END);--> statement-breakpoint
ALTER TABLE "notify"."notifications" ADD CONSTRAINT "notifications_action_taken" CHECK (("notify"."notifications"."action_taken" IS NULL) = ("notify"."notifications"."action_taken_at" IS NULL)
        AND ("notify"."notifications"."action_taken" IS NULL OR "notify"."notifications"."actions" @> jsonb_build_array(jsonb_build_object('id', "notify"."notifications"."action_taken"))));--> statement-breakpoint
ALTER TABLE "notify"."tenants" ADD CONSTRAINT "tenants_webhook_events" CHECK ("notify"."tenants"."webhook_events" <@ ARRAY['notification.read', 'notification.action']::text[]);--> statement-breakpoint
-- A rich inbox (issue #14): seen, actor and actions.
--
-- What must stay true:
--   * Every column a client sees is in notify.stamp_change()'s "is a change" list, so setting
--     `seen_at` or taking an action reaches every open stream of the user as an `update`, and
--     the stream reads return every one of them (and the unseen count beside the unread one).
--   * Unseen is a subset of unread (`seen_at` null, unread, not archived, not expired), so its
--     count uses the index notifications_unread too.
--   * An action taken is one of the row's own actions (CHECK notifications_action_taken).
CREATE OR REPLACE FUNCTION notify.stamp_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, notify, pg_temp AS $$
BEGIN
  IF TG_RELID <> 'notify.notifications'::regclass OR TG_WHEN <> 'BEFORE' OR TG_LEVEL <> 'ROW' THEN
    RAISE EXCEPTION 'notify.stamp_change() runs only as the row trigger of notify.notifications'
      USING ERRCODE = 'insufficient_privilege';
  END IF;

  IF TG_OP = 'UPDATE' THEN
    IF NEW.id <> OLD.id OR NEW.tenant_id <> OLD.tenant_id OR NEW.recipient <> OLD.recipient THEN
      RAISE EXCEPTION 'notify.notifications: id, tenant_id and recipient cannot be changed'
        USING ERRCODE = 'check_violation';
    END IF;
    NEW.created_txid := OLD.created_txid;
    -- An update that changes nothing a client sees is not a change: no event.
    IF (NEW.title, NEW.body, NEW.url, NEW.category, NEW.data, NEW.read_at, NEW.archived_at,
        NEW.expires_at, NEW.seen_at, NEW.actor_name, NEW.actor_avatar_url, NEW.actions,
        NEW.action_taken, NEW.action_taken_at)
       IS NOT DISTINCT FROM
       (OLD.title, OLD.body, OLD.url, OLD.category, OLD.data, OLD.read_at, OLD.archived_at,
        OLD.expires_at, OLD.seen_at, OLD.actor_name, OLD.actor_avatar_url, OLD.actions,
        OLD.action_taken, OLD.action_taken_at) THEN
      NEW.txid := OLD.txid;
      RETURN NEW;
    END IF;
  ELSE
    NEW.created_txid := pg_current_xact_id();
  END IF;
  NEW.txid := pg_current_xact_id();
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Like unread_count (0013): runs as the caller, so row-level security scopes it.
CREATE FUNCTION notify.unseen_count(p_tenant text, p_recipient text) RETURNS integer
LANGUAGE sql STABLE SET search_path = pg_catalog, notify, pg_temp AS $$
  SELECT count(*)::int FROM notify.notifications
  WHERE tenant_id = p_tenant AND recipient = p_recipient
    AND read_at IS NULL AND archived_at IS NULL AND seen_at IS NULL
    AND (expires_at IS NULL OR expires_at > now())
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION notify.unseen_count(text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION notify.unseen_count(text, text) TO notify_app, notify_tenant_apps;
--> statement-breakpoint
DROP FUNCTION notify.stream_heads(text, jsonb, integer);
--> statement-breakpoint
DROP FUNCTION notify.stream_changes(text, jsonb, integer);
--> statement-breakpoint
-- As 0013's, with the unseen count.
CREATE FUNCTION notify.stream_heads(p_tenant text, p_requests jsonb, p_cap integer)
RETURNS TABLE (
  recipient text, from_tick bigint, to_tick bigint, head bigint, known boolean, backlog integer,
  unread_count integer, unseen_count integer
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
           notify.unread_count(p_tenant, q.recipient),
           notify.unseen_count(p_tenant, q.recipient)
    FROM q CROSS JOIN h;
END
$$;
--> statement-breakpoint
-- As 0013's, with the unseen count and the new columns.
CREATE FUNCTION notify.stream_changes(p_tenant text, p_requests jsonb, p_limit integer)
RETURNS TABLE (
  recipient text, from_tick bigint, to_tick bigint, after_id bigint, known boolean,
  unread_count integer, unseen_count integer, id bigint, deleted boolean, created boolean,
  title text, body text, url text, category text, data jsonb, created_at timestamptz,
  read_at timestamptz, archived_at timestamptz, expires_at timestamptz, seen_at timestamptz,
  actor_name text, actor_avatar_url text, actions jsonb, action_taken text,
  action_taken_at timestamptz
)
LANGUAGE plpgsql SET search_path = pg_catalog, notify, pg_temp
SET plan_cache_mode = force_custom_plan AS $$
BEGIN
  PERFORM set_config('notify.tenant', p_tenant, true);
  RETURN QUERY
    WITH q AS MATERIALIZED (
      SELECT e.value->>0 AS recipient, (e.value->>1)::bigint AS from_tick,
             (e.value->>2)::bigint AS to_tick, (e.value->>3)::bigint AS after_id, e.ordinality,
             a.snapshot AS a_snapshot, b.snapshot AS b_snapshot,
             notify.unread_count(p_tenant, e.value->>0) AS unread_count,
             notify.unseen_count(p_tenant, e.value->>0) AS unseen_count
      FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS e(value, ordinality)
      LEFT JOIN notify.ticks a ON a.id = (e.value->>1)::bigint
      LEFT JOIN notify.ticks b ON b.id = (e.value->>2)::bigint
    )
    SELECT q.recipient, q.from_tick, q.to_tick, q.after_id,
           q.a_snapshot IS NOT NULL AND q.b_snapshot IS NOT NULL, q.unread_count, q.unseen_count,
           c.id, c.deleted, c.created, c.title, c.body, c.url, c.category, c.data, c.created_at,
           c.read_at, c.archived_at, c.expires_at, c.seen_at, c.actor_name, c.actor_avatar_url,
           c.actions, c.action_taken, c.action_taken_at
    FROM q
    LEFT JOIN LATERAL (
      SELECT u.* FROM (
        SELECT x.id, false AS deleted,
               NOT pg_visible_in_snapshot(x.created_txid, q.a_snapshot) AS created,
               x.title, x.body, x.url, x.category, x.data, x.created_at, x.read_at,
               x.archived_at, x.expires_at, x.seen_at, x.actor_name, x.actor_avatar_url,
               x.actions, x.action_taken, x.action_taken_at
        FROM notify.notifications x
        WHERE x.tenant_id = p_tenant AND x.recipient = q.recipient AND x.id > q.after_id
          AND x.txid >= pg_snapshot_xmin(q.a_snapshot) AND x.txid < pg_snapshot_xmax(q.b_snapshot)
          AND pg_visible_in_snapshot(x.txid, q.b_snapshot)
          AND NOT pg_visible_in_snapshot(x.txid, q.a_snapshot)
          AND (x.expires_at IS NULL OR x.expires_at > now())
        UNION ALL
        SELECT t.notification_id, true, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL, NULL, NULL, NULL, NULL, NULL
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
REVOKE EXECUTE ON FUNCTION notify.stream_heads(text, jsonb, integer),
  notify.stream_changes(text, jsonb, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION notify.stream_heads(text, jsonb, integer),
  notify.stream_changes(text, jsonb, integer) TO notify_app;
