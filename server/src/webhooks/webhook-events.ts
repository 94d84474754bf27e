import { sql } from "drizzle-orm";
import type { Transaction } from "../db/tenant-scope.ts";

/** The events a tenant's webhook can subscribe to (migration 0015 checks the same list). */
export const webhookEvents = ["notification.read", "notification.action"] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

/**
 * Records `event` for `changed` rows of the user in the outbox, in the transaction that made
 * the change, if the tenant subscribed to it: the event exists exactly when the change
 * committed, and is sent after (`webhook-sender.ts`). Nothing changed, nothing recorded.
 */
export async function enqueueWebhook(
  tx: Transaction,
  user: { tenantId: string; recipient: string },
  event: WebhookEvent,
  changed: { id: number | string }[],
): Promise<void> {
  if (changed.length === 0) return;
  const data = {
    recipient: user.recipient,
    notificationIds: changed.map((row) => String(row.id)),
  };
  await tx.execute(
    sql`SELECT notify.enqueue_webhook(${user.tenantId}, ${event}, ${JSON.stringify(data)}::jsonb)`,
  );
}

/**
 * Records `notification.action` in the outbox, in the transaction that took the action, if
 * the tenant subscribed to it.
 */
export async function enqueueActionWebhook(
  tx: Transaction,
  user: { tenantId: string; recipient: string },
  notificationId: string,
  actionId: string,
): Promise<void> {
  const data = { recipient: user.recipient, notificationId, actionId };
  await tx.execute(
    sql`SELECT notify.enqueue_webhook(${user.tenantId}, 'notification.action', ${JSON.stringify(data)}::jsonb)`,
  );
}
