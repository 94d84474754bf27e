-- The stream's two reads, each one round trip. Every stream read needs its tenant set for
-- row-level security; a transaction (BEGIN, set_config, SELECT, COMMIT) costs four round trips
-- on the hottest path. These functions run as the caller (SECURITY INVOKER, so notify_app's
-- policies apply), set the tenant for the current statement's transaction, then read. The
-- setting ends with the statement, so nothing leaks to the next use of the connection.
CREATE FUNCTION notify.stream_head(p_tenant text, p_recipient text)
RETURNS TABLE (last_seq bigint, unread_count integer)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('notify.tenant', p_tenant, true);
  RETURN QUERY
    SELECT coalesce((SELECT r.last_seq FROM notify.recipients r
                     WHERE r.tenant_id = p_tenant AND r.recipient = p_recipient), 0)::bigint,
           notify.unread_count(p_tenant, p_recipient);
END
$$;
--> statement-breakpoint
CREATE FUNCTION notify.stream_changes(p_tenant text, p_recipient text, p_cursor bigint, p_limit integer)
RETURNS TABLE (
  id bigint, seq bigint, created_seq bigint, title text, body text, url text, category text,
  data jsonb, created_at timestamptz, read_at timestamptz, archived_at timestamptz,
  expires_at timestamptz, unread_count integer
)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('notify.tenant', p_tenant, true);
  -- One query, so the rows and the count come from the same snapshot.
  RETURN QUERY
    SELECT n.id, n.seq, n.created_seq, n.title, n.body, n.url, n.category, n.data, n.created_at,
           n.read_at, n.archived_at, n.expires_at, notify.unread_count(p_tenant, p_recipient)
    FROM notify.notifications n
    WHERE n.tenant_id = p_tenant AND n.recipient = p_recipient AND n.seq > p_cursor
      AND (n.expires_at IS NULL OR n.expires_at > now())
    ORDER BY n.seq
    LIMIT p_limit;
END
$$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION notify.stream_head(text, text) TO notify_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION notify.stream_changes(text, text, bigint, integer) TO notify_app;
