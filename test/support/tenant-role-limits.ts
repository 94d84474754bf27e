import type { TenantRoleLimits } from "../../server/src/config.ts";

/** The documented defaults, for tests that make tenant roles without a server. */
export const TEST_TENANT_ROLE_LIMITS: TenantRoleLimits = {
  connectionLimit: 10,
  statementTimeoutMs: 30_000,
  lockTimeoutMs: 5_000,
  idleInTransactionMs: 60_000,
};
