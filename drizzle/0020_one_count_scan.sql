-- Both counts of a user from one scan of the unread index: stream reads counted unread and
-- unseen with a function call (and an index scan) each, per recipient per read.
--
-- What must stay true: notify.user_counts() counts exactly what notify.unread_count() and
-- notify.unseen_count() count (0019): the REST answers use those, the streams this.
CREATE FUNCTION notify.user_counts(p_tenant text, p_recipient text)
RETURNS TABLE (unread integer, unseen integer)
LANGUAGE sql STABLE SET search_path = pg_catalog, notify, pg_temp AS $$
  SELECT count(*)::int, (count(*) FILTER (WHERE seen_at IS NULL))::int
  FROM notify.notifications
  WHERE tenant_id = p_tenant AND recipient = p_recipient
    AND read_at IS NULL AND archived_at IS NULL AND snoozed_until IS NULL
    AND (expires_at IS NULL OR expires_at > now())
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION notify.user_counts(text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION notify.user_counts(text, text) TO notify_app;
--> statement-breakpoint
-- As 0018's, with both counts from one scan.
CREATE OR REPLACE FUNCTION notify.stream_heads(p_tenant text, p_requests jsonb, p_cap integer)
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
           n.unread, n.unseen
    FROM q CROSS JOIN h CROSS JOIN LATERAL notify.user_counts(p_tenant, q.recipient) n;
END
$$;
--> statement-breakpoint
-- As 0019's, with both counts from one scan.
CREATE OR REPLACE FUNCTION notify.stream_changes(p_tenant text, p_requests jsonb, p_limit integer)
RETURNS TABLE (
  recipient text, from_tick bigint, to_tick bigint, after_id bigint, known boolean,
  unread_count integer, unseen_count integer, id bigint, deleted boolean, created boolean,
  title text, body text, url text, category text, data jsonb, created_at timestamptz,
  read_at timestamptz, archived_at timestamptz, expires_at timestamptz, seen_at timestamptz,
  actor_name text, actor_avatar_url text, actions jsonb, action_taken text,
  action_taken_at timestamptz, snoozed_until timestamptz
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
           c.actions, c.action_taken, c.action_taken_at, c.snoozed_until
    FROM q
    LEFT JOIN LATERAL (
      SELECT u.* FROM (
        SELECT x.id, false AS deleted,
               NOT pg_visible_in_snapshot(x.created_txid, q.a_snapshot) AS created,
               x.title, x.body, x.url, x.category, x.data, x.created_at, x.read_at,
               x.archived_at, x.expires_at, x.seen_at, x.actor_name, x.actor_avatar_url,
               x.actions, x.action_taken, x.action_taken_at, x.snoozed_until
        FROM notify.notifications x
        WHERE x.tenant_id = p_tenant AND x.recipient = q.recipient AND x.id > q.after_id
          AND x.txid >= pg_snapshot_xmin(q.a_snapshot) AND x.txid < pg_snapshot_xmax(q.b_snapshot)
          AND pg_visible_in_snapshot(x.txid, q.b_snapshot)
          AND NOT pg_visible_in_snapshot(x.txid, q.a_snapshot)
          AND (x.expires_at IS NULL OR x.expires_at > now())
        UNION ALL
        SELECT t.notification_id, true, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
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
