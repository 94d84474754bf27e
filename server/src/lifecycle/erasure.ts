import type { Sql } from "../db/client.ts";

/**
 * Erases one user's notifications for a tenant (a data-subject request). Their counter row
 * keeps only its sequence number (and a zero count): a client still connected, or the same
 * user later, must never get a number it has already seen, or it would miss notifications.
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
    await tx`UPDATE notify.recipients SET unread_count = 0
      WHERE tenant_id = ${tenantId} AND recipient = ${recipient}`;
    return deleted.length;
  });
}
