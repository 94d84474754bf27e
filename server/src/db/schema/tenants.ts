import { sql } from "drizzle-orm";
import { check, integer, text, timestamp } from "drizzle-orm/pg-core";
import { notify } from "./namespace.ts";

/**
 * A site owner. `signingSecret` verifies the user JWTs their backend mints (HS256 needs the
 * secret itself); the API key is stored only as a SHA-256 hash.
 *
 * Rotation keeps the replaced secret or key hash in `previous*` until `previous*ExpiresAt`,
 * so both are accepted during the overlap (docs: tenant lifecycle). A deleted tenant's id is
 * kept in `retired_tenant_ids` and can never be created again.
 */
export const tenants = notify.table(
  "tenants",
  {
    id: text().primaryKey(),
    name: text().notNull(),
    allowedOrigins: text("allowed_origins").array().notNull().default(sql`'{}'::text[]`),
    signingSecret: text("signing_secret").notNull(),
    apiKeyHash: text("api_key_hash").notNull().unique(),
    previousSigningSecret: text("previous_signing_secret"),
    previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true }),
    previousApiKeyHash: text("previous_api_key_hash").unique(),
    previousKeyExpiresAt: timestamp("previous_key_expires_at", { withTimezone: true }),
    /** Set while the tenant is disabled: its tokens and API key are refused, streams end. */
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    /** Notifications older than this many days are deleted; null keeps them forever. */
    retentionDays: integer("retention_days"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Where events the tenant subscribed to are POSTed (docs: webhooks); null: no webhook. */
    webhookUrl: text("webhook_url"),
    /** Standard Webhooks signing secret (`whsec_…`), set with the URL. */
    webhookSecret: text("webhook_secret"),
    webhookEvents: text("webhook_events").array().notNull().default(sql`'{}'::text[]`),
  },
  (table) => [
    check("tenants_id_format", sql`${table.id} ~ '^[a-z0-9][a-z0-9_-]{0,62}$'`),
    check("tenants_name_length", sql`char_length(${table.name}) BETWEEN 1 AND 200`),
    check("tenants_allowed_origins_count", sql`cardinality(${table.allowedOrigins}) <= 50`),
    check("tenants_retention_days", sql`${table.retentionDays} BETWEEN 1 AND 36500`),
    check(
      "tenants_webhook_url",
      sql`${table.webhookUrl} IS NULL OR (char_length(${table.webhookUrl}) <= 2048 AND ${table.webhookUrl} ~ '^https?://[^[:space:][:cntrl:]]+$')`,
    ),
    check(
      "tenants_webhook_complete",
      sql`(${table.webhookUrl} IS NULL) = (${table.webhookSecret} IS NULL)`,
    ),
    check(
      "tenants_webhook_events",
      sql`${table.webhookEvents} <@ ARRAY['notification.read', 'notification.action']::text[]`,
    ),
  ],
);
