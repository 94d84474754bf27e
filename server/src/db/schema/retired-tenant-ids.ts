import { text, timestamp } from "drizzle-orm/pg-core";
import { notify } from "./namespace.ts";

/**
 * Ids of deleted tenants. A trigger on notify.tenants refuses to create a tenant under one
 * of them, so a token or a stream that still names a deleted tenant can never become
 * someone else's.
 */
export const retiredTenantIds = notify.table("retired_tenant_ids", {
  id: text().primaryKey(),
  retiredAt: timestamp("retired_at", { withTimezone: true }).notNull().defaultNow(),
});
