-- Snapshot cursors (issue #11): a tenant's write takes no lock anyone else can wait on.
--
-- Before this, a BEFORE trigger numbered every change from a per-recipient counter row
-- (locked until the writer committed) and every statement sent a NOTIFY (a database-wide
-- lock at commit). Writers touching the same recipients queued behind each other, deadlocked
-- when they named them in different orders, and a user's mark-read waited for any open tenant
-- transaction that had written to them. Now:
--
--   * Each row carries `txid`, the transaction that last changed it, and `created_txid`, the
--     one that inserted it. The trigger below sets them; it reads nothing and locks nothing.
--   * The server's ticker (one instance at a time) records `pg_current_snapshot()` in
--     notify.ticks whenever something changed, and NOTIFYs `notify_bell_tick` from its own
--     transaction. A stream's cursor names a tick; what it reads next is every row (and
--     tombstone) whose `txid` is visible in the newer tick's snapshot and not in the cursor's
--     (PgQ's batches). A transaction that commits late is simply in a later tick.
--   * Unread counts are counted when read, from the partial index notifications_unread.
--   * A DELETE leaves a tombstone per row (AFTER DELETE, per statement), so streams hear of it.
--
-- What must stay true:
--   * `txid` and `created_txid` are only ever set by notify.stamp_change().
--   * Tick ids grow with their snapshots (notify.tick() takes its snapshot under a transaction
--     lock, after the previous tick committed), so a later tick never sees less.
--   * Tick ids start above every `seq` a client of the counter design can hold, so an old
--     Last-Event-ID is below the oldest tick and answered with a reset, never misread.
--   * NOTIFY payloads carry only a tick id; every database user can LISTEN and NOTIFY, so a
--     forged one may at most cause the server one more cheap check.
--   * No function here is executable by PUBLIC (0009); trigger functions check their table.

DROP TRIGGER number_change ON notify.notifications;
--> statement-breakpoint
DROP TRIGGER wake_on_insert ON notify.notifications;
--> statement-breakpoint
DROP TRIGGER wake_on_update ON notify.notifications;
--> statement-breakpoint
DROP FUNCTION notify.number_change();
--> statement-breakpoint
DROP FUNCTION notify.wake_recipients();
--> statement-breakpoint
DROP FUNCTION notify.stream_heads(text, jsonb);
--> statement-breakpoint
DROP FUNCTION notify.stream_changes_batch(text, jsonb, integer);
--> statement-breakpoint
-- Runs as the writer (SECURITY INVOKER): it only stamps the row, so it needs no rights at all.
CREATE FUNCTION notify.stamp_change() RETURNS trigger
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
        NEW.expires_at)
       IS NOT DISTINCT FROM
       (OLD.title, OLD.body, OLD.url, OLD.category, OLD.data, OLD.read_at, OLD.archived_at,
        OLD.expires_at) THEN
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
CREATE TRIGGER stamp_change
BEFORE INSERT OR UPDATE ON notify.notifications
FOR EACH ROW EXECUTE FUNCTION notify.stamp_change();
--> statement-breakpoint
-- SECURITY DEFINER: whoever may delete notifications (the owner's jobs, or a tenant role an
-- operator allowed to) must not need, or get, write access to other tenants' tombstones.
CREATE FUNCTION notify.record_deletes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, notify, pg_temp AS $$
BEGIN
  IF TG_RELID <> 'notify.notifications'::regclass OR TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'STATEMENT' THEN
    RAISE EXCEPTION 'notify.record_deletes() runs only as the delete trigger of notify.notifications'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- Rows of a tenant being deleted (the foreign key's cascade) leave nothing behind: its
  -- streams are closed, and its data must go.
  INSERT INTO notify.tombstones (notification_id, tenant_id, recipient, txid)
  SELECT g.id, g.tenant_id, g.recipient, pg_current_xact_id() FROM gone g
  WHERE EXISTS (SELECT 1 FROM notify.tenants t WHERE t.id = g.tenant_id);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER record_deletes
AFTER DELETE ON notify.notifications
REFERENCING OLD TABLE AS gone
FOR EACH STATEMENT EXECUTE FUNCTION notify.record_deletes();
--> statement-breakpoint
-- Counted when read (index notifications_unread), less unread rows that have expired but are
-- not deleted yet. Runs as the caller, so row-level security scopes it.
CREATE OR REPLACE FUNCTION notify.unread_count(p_tenant text, p_recipient text) RETURNS integer
LANGUAGE sql STABLE SET search_path = pg_catalog, notify, pg_temp AS $$
  SELECT count(*)::int FROM notify.notifications
  WHERE tenant_id = p_tenant AND recipient = p_recipient
    AND read_at IS NULL AND archived_at IS NULL
    AND (expires_at IS NULL OR expires_at > now())
$$;
--> statement-breakpoint
-- Tick ids start above every counter a client may still hold as its Last-Event-ID.
SELECT setval(pg_get_serial_sequence('notify.ticks', 'id'),
              coalesce((SELECT max(last_seq) FROM notify.recipients), 0) + 1, false);
--> statement-breakpoint
-- Tick 0 sees nothing (no transaction id is below 1), so `Last-Event-ID: 0` replays
-- everything, as it did with the counters. It is never pruned.
INSERT INTO notify.ticks (id, snapshot) OVERRIDING SYSTEM VALUE VALUES (0, '1:1:');
--> statement-breakpoint
-- The first real tick: every row written so far carries txid 1, visible in it and in every
-- later one.
INSERT INTO notify.ticks (snapshot) VALUES (pg_current_snapshot());
--> statement-breakpoint
-- Every (tenant, recipient) with a row or tombstone visible in `b` and not in `a`, a ≤ b.
-- The txid range bounds the index scans; a transaction still open at `a` keeps its range
-- start back until it ends, which costs scan length, never a missed row.
CREATE FUNCTION notify.changed_recipients(a pg_snapshot, b pg_snapshot)
RETURNS TABLE (tenant_id text, recipient text)
LANGUAGE sql STABLE SET search_path = pg_catalog, notify, pg_temp AS $$
  SELECT n.tenant_id, n.recipient FROM notify.notifications n
  WHERE n.txid >= pg_snapshot_xmin(a) AND n.txid < pg_snapshot_xmax(b)
    AND pg_visible_in_snapshot(n.txid, b) AND NOT pg_visible_in_snapshot(n.txid, a)
  UNION
  SELECT t.tenant_id, t.recipient FROM notify.tombstones t
  WHERE t.txid >= pg_snapshot_xmin(a) AND t.txid < pg_snapshot_xmax(b)
    AND pg_visible_in_snapshot(t.txid, b) AND NOT pg_visible_in_snapshot(t.txid, a)
$$;
--> statement-breakpoint
-- The ticker's one call per poll. `p_seen` is the snapshot this ticker last found nothing new
-- in: while the current one is the same, nothing committed since and nothing is scanned.
-- Otherwise, if anything changed since the last tick, records a tick and wakes the servers.
-- Returns the new tick (or null) and the snapshot to pass next time.
CREATE FUNCTION notify.tick(p_seen text)
RETURNS TABLE (tick bigint, seen text)
LANGUAGE plpgsql SET search_path = pg_catalog, notify, pg_temp AS $$
DECLARE
  current_snapshot pg_snapshot;
  last_snapshot pg_snapshot;
  new_tick bigint;
BEGIN
  IF p_seen IS NOT NULL AND p_seen = pg_current_snapshot()::text THEN
    RETURN QUERY SELECT NULL::bigint, p_seen;
    RETURN;
  END IF;
  -- Serialises tick writers, and the snapshot below is taken after the previous tick committed.
  PERFORM pg_advisory_xact_lock(7316402119);
  current_snapshot := pg_current_snapshot();
  SELECT t.snapshot INTO last_snapshot FROM notify.ticks t ORDER BY t.id DESC LIMIT 1;
  IF last_snapshot IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM notify.changed_recipients(last_snapshot, current_snapshot)) THEN
    RETURN QUERY SELECT NULL::bigint, current_snapshot::text;
    RETURN;
  END IF;
  INSERT INTO notify.ticks (snapshot) VALUES (current_snapshot) RETURNING id INTO new_tick;
  PERFORM pg_notify('notify_bell_tick', new_tick::text);
  RETURN QUERY SELECT new_tick, NULL::text;
END
$$;
--> statement-breakpoint
-- For each server after a tick (or a reconnect): the newest tick, whether `p_from` is still
-- kept, and whose streams have something between the two. Cross-tenant, identifiers only:
-- the owner's, like the rest of the listener's catch-up. At least one row.
CREATE FUNCTION notify.changed_since(p_from bigint)
RETURNS TABLE (head bigint, from_known boolean, tenant_id text, recipient text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, notify, pg_temp AS $$
DECLARE
  head_id bigint;
  head_snapshot pg_snapshot;
  from_snapshot pg_snapshot;
BEGIN
  SELECT t.id, t.snapshot INTO head_id, head_snapshot FROM notify.ticks t ORDER BY t.id DESC LIMIT 1;
  SELECT t.snapshot INTO from_snapshot FROM notify.ticks t WHERE t.id = p_from;
  IF from_snapshot IS NULL OR p_from >= head_id THEN
    RETURN QUERY SELECT head_id, from_snapshot IS NOT NULL, NULL::text, NULL::text;
    RETURN;
  END IF;
  RETURN QUERY
    SELECT head_id, true, c.tenant_id, c.recipient
    FROM notify.changed_recipients(from_snapshot, head_snapshot) c
    UNION ALL
    SELECT head_id, true, NULL::text, NULL::text;
END
$$;
--> statement-breakpoint
-- Ticks older than `p_keep` go (tick 0 and the newest always stay), then tombstones no kept
-- tick can still be missing: those visible in the oldest real tick left. (A replay from tick 0
-- reads no tombstones: it has nothing to delete.)
CREATE FUNCTION notify.prune_ticks(p_keep interval) RETURNS void
LANGUAGE sql SET search_path = pg_catalog, notify, pg_temp AS $$
  DELETE FROM notify.ticks
  WHERE id > 0 AND created_at < now() - p_keep AND id < (SELECT max(id) FROM notify.ticks);
  DELETE FROM notify.tombstones
  WHERE txid < (SELECT pg_snapshot_xmin(snapshot) FROM notify.ticks WHERE id > 0
                ORDER BY id LIMIT 1);
$$;
--> statement-breakpoint
-- A stream's start, batched like 0008's: requests are [recipient, from tick, to tick] (ticks
-- null for a fresh stream). For each: the newest tick, whether the cursor's ticks are still
-- kept, how many changes wait past it (counted up to `p_cap`, for the replay limit) and the
-- unread count. Runs as the caller; sets the tenant for this statement's transaction only.
CREATE FUNCTION notify.stream_heads(p_tenant text, p_requests jsonb, p_cap integer)
RETURNS TABLE (
  recipient text, from_tick bigint, to_tick bigint, head bigint, known boolean, backlog integer,
  unread_count integer
)
LANGUAGE plpgsql SET search_path = pg_catalog, notify, pg_temp AS $$
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
           notify.unread_count(p_tenant, q.recipient)
    FROM q CROSS JOIN h;
END
$$;
--> statement-breakpoint
-- A stream's reads, batched: requests are [recipient, from tick, to tick, after id]. For each,
-- the rows changed and the rows deleted between the two ticks with an id past `after id`, in
-- id order, at most `p_limit`, and the unread count in the same statement. `created` says the
-- row was inserted after the from tick (a `notification` event, else an `update`). A request
-- whose ticks are no longer kept gets one row with `known` false. Every request gets at
-- least one row (id null when nothing changed).
CREATE FUNCTION notify.stream_changes(p_tenant text, p_requests jsonb, p_limit integer)
RETURNS TABLE (
  recipient text, from_tick bigint, to_tick bigint, after_id bigint, known boolean,
  unread_count integer, id bigint, deleted boolean, created boolean, title text, body text,
  url text, category text, data jsonb, created_at timestamptz, read_at timestamptz,
  archived_at timestamptz, expires_at timestamptz
)
LANGUAGE plpgsql SET search_path = pg_catalog, notify, pg_temp AS $$
BEGIN
  PERFORM set_config('notify.tenant', p_tenant, true);
  RETURN QUERY
    WITH q AS MATERIALIZED (
      SELECT e.value->>0 AS recipient, (e.value->>1)::bigint AS from_tick,
             (e.value->>2)::bigint AS to_tick, (e.value->>3)::bigint AS after_id, e.ordinality,
             a.snapshot AS a_snapshot, b.snapshot AS b_snapshot,
             notify.unread_count(p_tenant, e.value->>0) AS unread_count
      FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS e(value, ordinality)
      LEFT JOIN notify.ticks a ON a.id = (e.value->>1)::bigint
      LEFT JOIN notify.ticks b ON b.id = (e.value->>2)::bigint
    )
    SELECT q.recipient, q.from_tick, q.to_tick, q.after_id,
           q.a_snapshot IS NOT NULL AND q.b_snapshot IS NOT NULL, q.unread_count,
           c.id, c.deleted, c.created, c.title, c.body, c.url, c.category, c.data, c.created_at,
           c.read_at, c.archived_at, c.expires_at
    FROM q
    LEFT JOIN LATERAL (
      SELECT u.* FROM (
        SELECT x.id, false AS deleted,
               NOT pg_visible_in_snapshot(x.created_txid, q.a_snapshot) AS created,
               x.title, x.body, x.url, x.category, x.data, x.created_at, x.read_at,
               x.archived_at, x.expires_at
        FROM notify.notifications x
        WHERE x.tenant_id = p_tenant AND x.recipient = q.recipient AND x.id > q.after_id
          AND x.txid >= pg_snapshot_xmin(q.a_snapshot) AND x.txid < pg_snapshot_xmax(q.b_snapshot)
          AND pg_visible_in_snapshot(x.txid, q.b_snapshot)
          AND NOT pg_visible_in_snapshot(x.txid, q.a_snapshot)
          AND (x.expires_at IS NULL OR x.expires_at > now())
        UNION ALL
        SELECT t.notification_id, true, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               NULL
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
ALTER TABLE notify.ticks ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notify.ticks FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notify.tombstones ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notify.tombstones FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['ticks', 'tombstones'] LOOP
    EXECUTE format('CREATE POLICY owner_maintenance ON notify.%I TO %I USING (true) WITH CHECK (true)',
                   t, current_user);
  END LOOP;
END $$;
--> statement-breakpoint
-- Ticks hold transaction snapshots only, no tenant data: the request role reads them all.
CREATE POLICY server_read ON notify.ticks FOR SELECT TO notify_app USING (true);
--> statement-breakpoint
CREATE POLICY server_tenant ON notify.tombstones FOR SELECT TO notify_app
  USING (tenant_id = current_setting('notify.tenant', true));
--> statement-breakpoint
GRANT SELECT ON notify.ticks, notify.tombstones TO notify_app;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION notify.stamp_change(), notify.record_deletes(),
  notify.changed_recipients(pg_snapshot, pg_snapshot), notify.tick(text),
  notify.changed_since(bigint), notify.prune_ticks(interval),
  notify.stream_heads(text, jsonb, integer), notify.stream_changes(text, jsonb, integer)
  FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION notify.stream_heads(text, jsonb, integer),
  notify.stream_changes(text, jsonb, integer) TO notify_app;
