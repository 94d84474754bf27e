import { randomBytes } from "node:crypto";
import { t } from "elysia";
import type { Sql } from "../db/client.ts";
import { ApiError } from "../http/api-error.ts";
import { webhookEvents } from "./webhook-events.ts";

export const webhookBody = t.Object(
  {
    url: t.String({
      maxLength: 2048,
      pattern: "^https?://[^\\s]+$",
      description: "Where events are POSTed; http or https",
    }),
    events: t.Array(t.UnionEnum([...webhookEvents]), {
      minItems: 1,
      uniqueItems: true,
      description: "Which events to send",
    }),
  },
  { additionalProperties: false },
);

export const webhookView = t.Object({
  url: t.String(),
  events: t.Array(t.String()),
  secret: t.Optional(
    t.String({
      description:
        "Standard Webhooks signing secret (whsec_…), shown when the webhook is first set; verify each delivery with it",
    }),
  ),
});

export type WebhookInput = typeof webhookBody.static;

/**
 * Sets a tenant's webhook. A new secret is made only when the tenant had none, and returned
 * only then: changing the URL or the events keeps it. To replace the secret, remove the
 * webhook and set it again.
 */
export async function setWebhook(sql: Sql, tenantId: string, input: WebhookInput) {
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  const [row] = await sql<{ url: string; events: string[]; created: boolean }[]>`
    UPDATE notify.tenants AS t
    SET webhook_url = ${input.url},
        webhook_events = ${input.events}::text[],
        webhook_secret = coalesce(t.webhook_secret, ${secret})
    FROM (SELECT webhook_secret IS NULL AS created FROM notify.tenants WHERE id = ${tenantId}
          FOR UPDATE) AS before
    WHERE t.id = ${tenantId}
    RETURNING t.webhook_url AS url, t.webhook_events AS events, before.created`;
  if (!row) throw new ApiError(404, "not_found", `tenant "${tenantId}" does not exist`);
  return { url: row.url, events: row.events, ...(row.created ? { secret } : {}) };
}

/** Removes the webhook and its secret; undelivered events are marked failed when next due. */
export async function removeWebhook(sql: Sql, tenantId: string): Promise<void> {
  const rows = await sql`UPDATE notify.tenants
    SET webhook_url = NULL, webhook_secret = NULL, webhook_events = '{}'
    WHERE id = ${tenantId} RETURNING id`;
  if (rows.length === 0)
    throw new ApiError(404, "not_found", `tenant "${tenantId}" does not exist`);
}
