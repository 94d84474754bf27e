-- The ticker's and the hub's change scans (0013) read every row from the older snapshot's
-- xmin on: while a tenant transaction stays open, that is every row written since it began,
-- scanned again at every poll. A row is invisible in snapshot `a` exactly when its txid is at
-- or past xmax(a) or in a's in-progress list, so scan those two: the rows written since `a`,
-- and the (few) rows of the transactions `a` saw running, each found by index equality. The
-- result is the same set; an open transaction now costs a look-up of its own rows per poll.
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
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION notify.changed_recipients(pg_snapshot, pg_snapshot) FROM PUBLIC;
