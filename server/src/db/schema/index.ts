export { idempotencyKeys } from "./idempotency-keys.ts";
export { notify } from "./namespace.ts";
export { limits, notifications, urlPattern } from "./notifications.ts";
export { recipients } from "./recipients.ts";
export { retiredTenantIds } from "./retired-tenant-ids.ts";
export { tenantAppRoles } from "./tenant-app-roles.ts";
export { tenants } from "./tenants.ts";
