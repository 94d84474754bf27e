import { text } from "drizzle-orm/pg-core";
import { notify } from "./namespace.ts";
import { tenants } from "./tenants.ts";

/**
 * Database login roles of tenant apps, each bound to one tenant: row-level security lets
 * such a role insert and read only its own tenant's notifications (migration 0006).
 */
export const tenantAppRoles = notify.table("tenant_app_roles", {
  roleName: text("role_name").primaryKey(),
  tenantId: text("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" }),
});
