-- Delivery: every change to a notification takes the next number in its recipient's change
-- log, and each statement wakes the server with identifiers only.
--
-- Why a per-recipient counter row: ids are taken in insert order but rows become visible in
-- commit order, so "id > last seen" would skip a row whose transaction commits late. The
-- upsert below locks the recipient's counter row until the writing transaction ends, so a
-- second writer for the same recipient waits, and gets its number only after the first has
-- committed or rolled back: within a recipient, `seq` order is commit order and has no gaps
-- a reader could step over.
--
-- What must stay true:
--   * `seq` and `created_seq` are only ever set here.
--   * The NOTIFY payload carries the tenant id and recipient, never content: payloads are
--     limited to 8000 bytes and every database user can LISTEN.
--   * Writers that touch several recipients in one transaction should do so in a stable
--     order (the publish API sorts them) to avoid deadlocks on the counter rows.

CREATE FUNCTION notify.number_change() RETURNS trigger
LANGUAGE plpgsql AS $$
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
    IF (NEW.title, NEW.body, NEW.url, NEW.category, NEW.data, NEW.read_at, NEW.archived_at)
       IS NOT DISTINCT FROM
       (OLD.title, OLD.body, OLD.url, OLD.category, OLD.data, OLD.read_at, OLD.archived_at) THEN
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
CREATE TRIGGER number_change
BEFORE INSERT OR UPDATE OR DELETE ON notify.notifications
FOR EACH ROW EXECUTE FUNCTION notify.number_change();
--> statement-breakpoint
-- One NOTIFY per recipient per statement (identical payloads in one transaction are folded
-- into one by Postgres). Payload: a JSON array ["tenant id", "recipient"].
CREATE FUNCTION notify.wake_recipients() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('notify_bell', json_build_array(tenant_id, recipient)::text)
  FROM (SELECT DISTINCT tenant_id, recipient FROM changed) AS touched;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER wake_on_insert
AFTER INSERT ON notify.notifications
REFERENCING NEW TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION notify.wake_recipients();
--> statement-breakpoint
CREATE TRIGGER wake_on_update
AFTER UPDATE ON notify.notifications
REFERENCING NEW TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION notify.wake_recipients();
--> statement-breakpoint
-- Tenants are cached by every server instance (CORS checks are synchronous); any change
-- tells them to reload.
CREATE FUNCTION notify.wake_tenants() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('notify_bell_tenants', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER wake_on_tenant_change
AFTER INSERT OR UPDATE OR DELETE ON notify.tenants
FOR EACH STATEMENT EXECUTE FUNCTION notify.wake_tenants();
