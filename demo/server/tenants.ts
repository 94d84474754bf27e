import { createHash, randomBytes } from "node:crypto";
import type postgres from "postgres";

/** The demo's two tenants, two users each. Ids are prefixed so they never clash with yours. */
export const DEMO_TENANTS = [
  { id: "demo-acme", name: "Acme (demo)", site: "Acme Notes", users: ["alice", "bob"] },
  { id: "demo-globex", name: "Globex (demo)", site: "Globex Tasks", users: ["alice", "bob"] },
] as const;

export type DemoTenantId = (typeof DEMO_TENANTS)[number]["id"];

/**
 * The categories every demo tenant declares: the inbox's tabs, in this order. Security cannot
 * be turned off by users. The tenant app panel picks one for each notification it sends.
 */
export const DEMO_CATEGORIES = [
  { key: "updates", labels: { en: "Updates", ko: "업데이트" }, mutable: true },
  { key: "comments", labels: { en: "Comments", ko: "댓글" }, mutable: true },
  { key: "invitations", labels: { en: "Invitations", ko: "초대" }, mutable: true },
  { key: "security", labels: { en: "Security", ko: "보안" }, mutable: false },
] as const;

/** Only this tenant lets its pages embed the widget from the demo's second origin. */
export const SECOND_ORIGIN_TENANT: DemoTenantId = "demo-acme";

export interface DemoCredentials {
  signingSecret: string;
  /** Lives only in this process: the database keeps its SHA-256 hash. */
  apiKey: string;
  /** Verifies the webhooks the server sends to the demo's backend (webhook-receiver.ts). */
  webhookSecret: string;
}

/** What the demo tenants subscribe to: every event the server sends. */
const WEBHOOK_EVENTS = ["notification.action", "notification.read"];

export function findTenant(id: unknown) {
  return DEMO_TENANTS.find((tenant) => tenant.id === id);
}

/**
 * Creates the demo tenants and their categories, or brings them up to date: the API key is rotated at every start
 * (the database keeps only its hash, and this process has to know it to publish), the
 * allowed origins and the webhook URL follow the ports of this run, and the signing and
 * webhook secrets are kept, so the tokens of pages left open across a restart stay valid.
 * Writes `notify.tenants` directly, as the server's own CLI does; its trigger tells every
 * running server to reload its tenants.
 */
export async function ensureDemoTenants(
  sql: postgres.Sql,
  origins: { main: string[]; second: string[] },
  webhookUrl: (tenant: DemoTenantId) => string,
): Promise<Map<DemoTenantId, DemoCredentials>> {
  const credentials = new Map<DemoTenantId, DemoCredentials>();
  for (const tenant of DEMO_TENANTS) {
    const apiKey = `nbk_${randomBytes(32).toString("base64url")}`;
    const allowed =
      tenant.id === SECOND_ORIGIN_TENANT ? [...origins.main, ...origins.second] : origins.main;
    const [row] = await sql<{ signingSecret: string; webhookSecret: string }[]>`
      INSERT INTO notify.tenants (id, name, allowed_origins, signing_secret, api_key_hash,
                                  webhook_url, webhook_secret, webhook_events)
      VALUES (${tenant.id}, ${tenant.name}, ${allowed}, ${randomBytes(32).toString("base64url")},
              ${createHash("sha256").update(apiKey).digest("hex")}, ${webhookUrl(tenant.id)},
              ${`whsec_${randomBytes(32).toString("base64")}`}, ${WEBHOOK_EVENTS})
      ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,
        allowed_origins = EXCLUDED.allowed_origins, api_key_hash = EXCLUDED.api_key_hash,
        webhook_url = EXCLUDED.webhook_url, webhook_events = EXCLUDED.webhook_events,
        webhook_secret = coalesce(notify.tenants.webhook_secret, EXCLUDED.webhook_secret)
      RETURNING signing_secret AS "signingSecret", webhook_secret AS "webhookSecret"`;
    if (!row) throw new Error(`demo tenant ${tenant.id} was not written`);
    credentials.set(tenant.id, { ...row, apiKey });
    for (const [position, category] of DEMO_CATEGORIES.entries()) {
      await sql`
        INSERT INTO notify.categories (tenant_id, key, labels, position, mutable)
        VALUES (${tenant.id}, ${category.key}, ${JSON.stringify(category.labels)}::text::jsonb, ${position},
                ${category.mutable})
        ON CONFLICT (tenant_id, key) DO UPDATE SET labels = EXCLUDED.labels,
          position = EXCLUDED.position, mutable = EXCLUDED.mutable`;
    }
  }
  return credentials;
}
