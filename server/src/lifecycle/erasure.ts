import type { Sql } from "../db/client.ts";

/**
 * Erases one user's notifications for a tenant (a data-subject request). Their counter row
 * keeps only its sequence number (and a zero count): a client still connected, or the same
 * user later, must never get a number it has already seen, or it would miss notifications.
 */
export async function eraseRecipient(
  sql: Sql,
  tenantId: string,
  recipient: string,
): Promise<number> {
  return sql.begin(async (tx) => {
    const deleted = await tx`
      DELETE FROM notify.notifications WHERE tenant_id = ${tenantId} AND recipient = ${recipient}
      RETURNING 1`;
    await tx`UPDATE notify.recipients SET unread_count = 0
      WHERE tenant_id = ${tenantId} AND recipient = ${recipient}`;
    return deleted.length;
  });
}
