import type { CloseReason } from "../../realtime/close-reasons.ts";
import { isKeyActive, type TenantDirectory } from "../../tenancy/directory.ts";

/**
 * Why a stream authorised by a token of `tenantId`, verified with the secret `keyId`, may no
 * longer stay open; undefined while it may. Checked when a stream opens and whenever the
 * directory changes, so revocation reaches open streams, not only new requests.
 */
export function revocationReason(
  directory: TenantDirectory,
  tenantId: string,
  keyId: string,
  now = Date.now(),
): CloseReason | undefined {
  const tenant = directory.get(tenantId);
  if (!tenant) return "tenant_deleted";
  if (tenant.disabled) return "tenant_disabled";
  const key = tenant.signingKeys.find((candidate) => candidate.id === keyId);
  return key && isKeyActive(key, now) ? undefined : "token_revoked";
}
