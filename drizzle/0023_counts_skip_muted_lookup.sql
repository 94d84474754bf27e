-- notify.user_counts (0022) as PL/pgSQL: the muted categories are looked up once per call,
-- before the scan, instead of as an anti-join planned into it. Measured per call (500 calls,
-- median of 9 rounds, a user with 5 or 20 unread rows; shared machine): 0021's two-column
-- count 0.07–0.14 ms, 0022's 0.23–0.70 ms, this 0.12–0.30 ms. The stream reads call it once per
-- recipient, so fan-out pays it 10,000 times.
--
-- What must stay true: the same counts as 0022 (one scan of the user's unread rows, a group
-- of unread rows counting once, in unseen while any member is; muted = in_inbox off for a
-- mutable category; per category one entry for each with unread rows, ordered by key), and
-- the same result type, so unread_count(), unseen_count() and the stream reads are unchanged.
CREATE OR REPLACE FUNCTION notify.user_counts(p_tenant text, p_recipient text)
RETURNS TABLE (unread integer, unseen integer, categories jsonb)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, notify, pg_temp AS $$
DECLARE
  v_muted text[];
BEGIN
  SELECT array_agg(p.category) INTO v_muted
  FROM notify.preferences p JOIN notify.categories c
    ON c.tenant_id = p.tenant_id AND c.key = p.category
  WHERE p.tenant_id = p_tenant AND p.recipient = p_recipient AND NOT p.in_inbox AND c.mutable;
  RETURN QUERY
    SELECT coalesce(max(g.unread) FILTER (WHERE g.total), 0)::int,
           coalesce(max(g.unseen) FILTER (WHERE g.total), 0)::int,
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
        AND (v_muted IS NULL OR n.category IS NULL OR n.category <> ALL (v_muted))
      GROUP BY GROUPING SETS ((n.category), ())
    ) AS g;
END
$$;
