export { categories, categoryLimits, languageTagPattern } from "./categories.ts";
export { IDEMPOTENCY_WINDOW, idempotencyKeys } from "./idempotency-keys.ts";
export { notify } from "./namespace.ts";
export {
  avatarUrlPattern,
  groupKeyPattern,
  limits,
  notifications,
  urlPattern,
} from "./notifications.ts";
export { preferences } from "./preferences.ts";
export { rateLimits } from "./rate-limits.ts";
export { retiredTenantIds } from "./retired-tenant-ids.ts";
export { tenantAppRoles } from "./tenant-app-roles.ts";
export { tenants } from "./tenants.ts";
export { ticks } from "./ticks.ts";
export { tombstones } from "./tombstones.ts";
export { webhookDeliveries } from "./webhook-deliveries.ts";
