export { idempotencyKeys } from "./idempotency-keys.ts";
export { notify } from "./namespace.ts";
export { limits, notifications, urlPattern } from "./notifications.ts";
export { recipients } from "./recipients.ts";
export { tenants } from "./tenants.ts";
