import type { Sql } from "../db/client.ts";

/**
 * Erases one user's notifications and preferences for a tenant (a data-subject request). The delete leaves a
 * tombstone per row (id, tenant, recipient; no content) so that open streams drop them; the
 * ticker prunes tombstones with the ticks, within the tick retention (docs/design/delivery.md).
 * Answers how many were deleted, or `undefined` when the tenant does not exist.
 */
export async function eraseRecipient(
  sql: Sql,
  tenantId: string,
  recipient: string,
): Promise<number | undefined> {
  return sql.begin(async (tx) => {
    const [tenant] = await tx`SELECT 1 FROM notify.tenants WHERE id = ${tenantId}`;
    if (!tenant) return undefined;
    const deleted = await tx`
      DELETE FROM notify.notifications WHERE tenant_id = ${tenantId} AND recipient = ${recipient}
      RETURNING 1`;
    // Their preferences are personal data too (what they chose to hear about).
    await tx`DELETE FROM notify.preferences WHERE tenant_id = ${tenantId} AND recipient = ${recipient}`;
    return deleted.length;
  });
}
