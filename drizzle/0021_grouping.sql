ALTER TABLE "notify"."notifications" ADD COLUMN "group_key" text;--> statement-breakpoint
ALTER TABLE "notify"."notifications" ADD CONSTRAINT "notifications_group_key" CHECK ("notify"."notifications"."group_key" ~ '^[A-Za-z0-9_.:/-]{1,128}$');--> statement-breakpoint
-- Grouping (issue #14): the unread rows of one recipient that share a `group_key` are one
-- inbox row ("Ana and 3 others commented on …") and count as ONE in both counts.
--
-- What must stay true:
--   * A row is a group member while it has a key and is unread, unarchived and awake (the
--     predicate of the unread index and of both counts): read, archived or snoozed rows are
--     never grouped, so reading one member takes it out of its group.
--   * Both counts come from one scan of the unread index (notify.user_counts, 0020): fan-out
--     depends on it. A group counts once in `unread`, and once in `unseen` while any member
--     is unseen. unread_count() and unseen_count() are that function's two columns, so the
--     REST answers, the stream and tenants' SQL cannot disagree.
--   * `group_key` is a column clients see: in stamp_change()'s "is a change" list and in the
--     stream reads.
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
        NEW.action_taken, NEW.action_taken_at, NEW.snoozed_until, NEW.group_key)
       IS NOT DISTINCT FROM
       (OLD.title, OLD.body, OLD.url, OLD.category, OLD.data, OLD.read_at, OLD.archived_at,
        OLD.expires_at, OLD.seen_at, OLD.actor_name, OLD.actor_avatar_url, OLD.actions,
        OLD.action_taken, OLD.action_taken_at, OLD.snoozed_until, OLD.group_key) THEN
      NEW.txid := OLD.txid;
      RETURN NEW;
    END IF;
    -- A snooze that ended on time: the row is new again.
    IF OLD.snoozed_until IS NOT NULL AND NEW.snoozed_until IS NULL
       AND OLD.snoozed_until <= now() THEN
      NEW.created_txid := pg_current_xact_id();
    END IF;
  ELSE
    NEW.created_txid := pg_current_xact_id();
  END IF;
  NEW.txid := pg_current_xact_id();
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- As 0020's, a group counting once. count(DISTINCT) sorts the keys of the user's unread rows
-- in memory: still the one index scan.
CREATE OR REPLACE FUNCTION notify.user_counts(p_tenant text, p_recipient text)
RETURNS TABLE (unread integer, unseen integer)
LANGUAGE sql STABLE SET search_path = pg_catalog, notify, pg_temp AS $$
  SELECT (count(*) FILTER (WHERE group_key IS NULL) + count(DISTINCT group_key))::int,
         (count(*) FILTER (WHERE group_key IS NULL AND seen_at IS NULL)
          + count(DISTINCT group_key) FILTER (WHERE seen_at IS NULL))::int
  FROM notify.notifications
  WHERE tenant_id = p_tenant AND recipient = p_recipient
    AND read_at IS NULL AND archived_at IS NULL AND snoozed_until IS NULL
    AND (expires_at IS NULL OR expires_at > now())
$$;
--> statement-breakpoint
-- Runs as the caller (row-level security scopes it), as unread_count does.
GRANT EXECUTE ON FUNCTION notify.user_counts(text, text) TO notify_tenant_apps;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION notify.unread_count(p_tenant text, p_recipient text) RETURNS integer
LANGUAGE sql STABLE SET search_path = pg_catalog, notify, pg_temp AS $$
  SELECT unread FROM notify.user_counts(p_tenant, p_recipient)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION notify.unseen_count(p_tenant text, p_recipient text) RETURNS integer
LANGUAGE sql STABLE SET search_path = pg_catalog, notify, pg_temp AS $$
  SELECT unseen FROM notify.user_counts(p_tenant, p_recipient)
$$;
--> statement-breakpoint
DROP FUNCTION notify.stream_changes(text, jsonb, integer);
--> statement-breakpoint
-- As 0020's, with group_key.
CREATE FUNCTION notify.stream_changes(p_tenant text, p_requests jsonb, p_limit integer)
RETURNS TABLE (
  recipient text, from_tick bigint, to_tick bigint, after_id bigint, known boolean,
  unread_count integer, unseen_count integer, id bigint, deleted boolean, created boolean,
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
    WITH q AS MATERIALIZED (
      SELECT e.value->>0 AS recipient, (e.value->>1)::bigint AS from_tick,
             (e.value->>2)::bigint AS to_tick, (e.value->>3)::bigint AS after_id, e.ordinality,
             a.snapshot AS a_snapshot, b.snapshot AS b_snapshot,
             n.unread AS unread_count, n.unseen AS unseen_count
      FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS e(value, ordinality)
      LEFT JOIN notify.ticks a ON a.id = (e.value->>1)::bigint
      LEFT JOIN notify.ticks b ON b.id = (e.value->>2)::bigint
      CROSS JOIN LATERAL notify.user_counts(p_tenant, e.value->>0) n
    )
    SELECT q.recipient, q.from_tick, q.to_tick, q.after_id,
           q.a_snapshot IS NOT NULL AND q.b_snapshot IS NOT NULL, q.unread_count, q.unseen_count,
           c.id, c.deleted, c.created, c.title, c.body, c.url, c.category, c.data, c.created_at,
           c.read_at, c.archived_at, c.expires_at, c.seen_at, c.actor_name, c.actor_avatar_url,
           c.actions, c.action_taken, c.action_taken_at, c.snoozed_until, c.group_key
    FROM q
    LEFT JOIN LATERAL (
      SELECT u.* FROM (
        SELECT x.id, false AS deleted,
               NOT pg_visible_in_snapshot(x.created_txid, q.a_snapshot) AS created,
               x.title, x.body, x.url, x.category, x.data, x.created_at, x.read_at,
               x.archived_at, x.expires_at, x.seen_at, x.actor_name, x.actor_avatar_url,
               x.actions, x.action_taken, x.action_taken_at, x.snoozed_until, x.group_key
        FROM notify.notifications x
        WHERE x.tenant_id = p_tenant AND x.recipient = q.recipient AND x.id > q.after_id
          AND x.txid >= pg_snapshot_xmin(q.a_snapshot) AND x.txid < pg_snapshot_xmax(q.b_snapshot)
          AND pg_visible_in_snapshot(x.txid, q.b_snapshot)
          AND NOT pg_visible_in_snapshot(x.txid, q.a_snapshot)
          AND (x.expires_at IS NULL OR x.expires_at > now())
        UNION ALL
        SELECT t.notification_id, true, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
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
