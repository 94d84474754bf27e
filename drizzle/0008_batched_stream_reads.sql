-- The stream's reads, batched. One INSERT … SELECT for 10,000 users wakes 10,000 streams in
-- the same instant; a query each is 10,000 round trips queued on the pool. The server now
-- gathers the reads of one tenant that arrive in the same tick into one call of these
-- (realtime/change-log.ts). Like 0007's, they run as the caller and set the tenant for the
-- statement's transaction only.
--
-- Requests come as one jsonb array, so callers need no array types: heads take
-- ["recipient", …], changes take [["recipient", after_seq], …]. Every request gets at least
-- one row back, so a recipient with nothing new still gets its unread count (id is null then).
-- The unread count is computed once per request, in the same snapshot as the rows.
CREATE FUNCTION notify.stream_heads(p_tenant text, p_recipients jsonb)
RETURNS TABLE (recipient text, last_seq bigint, unread_count integer)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('notify.tenant', p_tenant, true);
  RETURN QUERY
    SELECT q.recipient, coalesce(r.last_seq, 0)::bigint, notify.unread_count(p_tenant, q.recipient)
    FROM jsonb_array_elements_text(p_recipients) AS q(recipient)
    LEFT JOIN notify.recipients r ON r.tenant_id = p_tenant AND r.recipient = q.recipient;
END
$$;
--> statement-breakpoint
CREATE FUNCTION notify.stream_changes_batch(p_tenant text, p_requests jsonb, p_limit integer)
RETURNS TABLE (
  recipient text, after_seq bigint, unread_count integer,
  id bigint, seq bigint, created_seq bigint, title text, body text, url text, category text,
  data jsonb, created_at timestamptz, read_at timestamptz, archived_at timestamptz,
  expires_at timestamptz
)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('notify.tenant', p_tenant, true);
  RETURN QUERY
    WITH q AS MATERIALIZED (
      SELECT e.value->>0 AS recipient, (e.value->>1)::bigint AS after_seq, e.ordinality,
             notify.unread_count(p_tenant, e.value->>0) AS unread_count
      FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS e(value, ordinality)
    )
    SELECT q.recipient, q.after_seq, q.unread_count, n.id, n.seq, n.created_seq, n.title,
           n.body, n.url, n.category, n.data, n.created_at, n.read_at, n.archived_at,
           n.expires_at
    FROM q
    LEFT JOIN LATERAL (
      SELECT * FROM notify.notifications x
      WHERE x.tenant_id = p_tenant AND x.recipient = q.recipient AND x.seq > q.after_seq
        AND (x.expires_at IS NULL OR x.expires_at > now())
      ORDER BY x.seq
      LIMIT p_limit
    ) n ON true
    ORDER BY q.ordinality, n.seq;
END
$$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION notify.stream_heads(text, jsonb) TO notify_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION notify.stream_changes_batch(text, jsonb, integer) TO notify_app;
--> statement-breakpoint
-- 0007's one-recipient forms: nothing calls them any more.
DROP FUNCTION notify.stream_head(text, text);
--> statement-breakpoint
DROP FUNCTION notify.stream_changes(text, text, bigint, integer);
