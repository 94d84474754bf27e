-- The stream's batched reads (0013) are PL/pgSQL, whose statements switch to a generic plan
-- after five calls. Planned without the tenant's value, the lateral read of each recipient's
-- changes could take the global index on txid instead of (tenant_id, recipient, txid): a
-- 10,000-user fan-out then rescanned the whole transaction's rows for every recipient, and
-- reads took seconds. Each call is planned for its own arguments instead.
ALTER FUNCTION notify.stream_changes(text, jsonb, integer) SET plan_cache_mode = force_custom_plan;
--> statement-breakpoint
ALTER FUNCTION notify.stream_heads(text, jsonb, integer) SET plan_cache_mode = force_custom_plan;
