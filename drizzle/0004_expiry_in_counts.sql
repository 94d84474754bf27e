-- Expiry: a change to expires_at is a change like any other (numbered, streamed), and the
-- unread count a client sees leaves out unread notifications that have expired. Expired rows
-- are deleted by the server's retention job later; until then they are filtered on read.
CREATE OR REPLACE FUNCTION notify.number_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, notify AS $$
DECLARE
  was_unread int := 0;
  is_unread int := 0;
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.read_at IS NULL AND OLD.archived_at IS NULL THEN
      UPDATE notify.recipients SET unread_count = unread_count - 1
      WHERE tenant_id = OLD.tenant_id AND recipient = OLD.recipient;
    END IF;
    RETURN OLD;
  END IF;

  IF TG_OP = 'UPDATE' THEN
    IF NEW.id <> OLD.id OR NEW.tenant_id <> OLD.tenant_id OR NEW.recipient <> OLD.recipient THEN
      RAISE EXCEPTION 'notify.notifications: id, tenant_id and recipient cannot be changed'
        USING ERRCODE = 'check_violation';
    END IF;
    NEW.created_seq := OLD.created_seq;
    IF (NEW.title, NEW.body, NEW.url, NEW.category, NEW.data, NEW.read_at, NEW.archived_at,
        NEW.expires_at)
       IS NOT DISTINCT FROM
       (OLD.title, OLD.body, OLD.url, OLD.category, OLD.data, OLD.read_at, OLD.archived_at,
        OLD.expires_at) THEN
      NEW.seq := OLD.seq;
      RETURN NEW;
    END IF;
    was_unread := (OLD.read_at IS NULL AND OLD.archived_at IS NULL)::int;
  END IF;

  is_unread := (NEW.read_at IS NULL AND NEW.archived_at IS NULL)::int;

  INSERT INTO notify.recipients AS r (tenant_id, recipient, last_seq, unread_count)
  VALUES (NEW.tenant_id, NEW.recipient, 1, is_unread)
  ON CONFLICT (tenant_id, recipient) DO UPDATE
    SET last_seq = r.last_seq + 1,
        unread_count = r.unread_count + is_unread - was_unread
  RETURNING last_seq INTO NEW.seq;

  IF TG_OP = 'INSERT' THEN
    NEW.created_seq := NEW.seq;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- The unread count every API and event reports: the trigger-kept counter, less unread rows
-- that have expired but are not deleted yet (found through notifications_expiring).
CREATE FUNCTION notify.unread_count(p_tenant text, p_recipient text) RETURNS integer
LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT unread_count FROM notify.recipients
                   WHERE tenant_id = p_tenant AND recipient = p_recipient), 0)
       - (SELECT count(*)::int FROM notify.notifications
          WHERE tenant_id = p_tenant AND recipient = p_recipient
            AND expires_at IS NOT NULL AND expires_at <= now()
            AND read_at IS NULL AND archived_at IS NULL)
$$;
