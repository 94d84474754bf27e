-- The numbering trigger runs with its owner's rights, so a tenant app's database role needs
-- only INSERT (and UPDATE, to mark rows read itself) on notify.notifications: it never
-- needs, and should not have, write access to the counter rows it could otherwise corrupt.
-- A fixed search_path keeps a caller's objects from standing in for ours.
ALTER FUNCTION notify.number_change() SECURITY DEFINER SET search_path = pg_catalog, notify;
