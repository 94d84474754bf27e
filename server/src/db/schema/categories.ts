import { sql } from "drizzle-orm";
import { boolean, check, integer, jsonb, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { notify } from "./namespace.ts";
import { tenants } from "./tenants.ts";

/** The documented limits of a category (docs/http-api.md#categories). */
export const categoryLimits = {
  /** Per tenant: each is a tab in the widget, and every count carries one entry per category. */
  perTenant: 50,
  /** What `notifications.category` may hold. */
  key: 100,
  languages: 20,
  label: 100,
  position: 10_000,
} as const;

/** A language tag as labels are keyed: `en`, `ko`, `pt-BR`, `zh-Hant-TW`. */
export const languageTagPattern = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$";

/**
 * A category a tenant declared: the key notifications carry in `category`, its labels per
 * language, its place among the tabs, and whether users may turn it off. A notification may
 * only name a declared category (the foreign key `notifications_category_declared`, migration
 * 0022); at most `categoryLimits.perTenant` per tenant (trigger `limit_categories`).
 */
export const categories = notify.table(
  "categories",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    key: text().notNull(),
    labels: jsonb().notNull(),
    position: integer().notNull().default(0),
    mutable: boolean().notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: "categories_pkey", columns: [table.tenantId, table.key] }),
    check(
      "categories_key_length",
      sql`char_length(${table.key}) BETWEEN 1 AND ${sql.raw(String(categoryLimits.key))}`,
    ),
    check(
      "categories_position",
      sql`${table.position} BETWEEN 0 AND ${sql.raw(String(categoryLimits.position))}`,
    ),
    // An object of 1–20 language tags, each to a label of 1–100 characters with no control
    // characters (labels are shown as text; the limits keep every count and tab small).
    check(
      "categories_labels",
      sql`jsonb_typeof(${table.labels}) = 'object'
        AND jsonb_array_length(jsonb_path_query_array(${table.labels}, '$.keyvalue()')) BETWEEN 1 AND ${sql.raw(String(categoryLimits.languages))}
        AND jsonb_array_length(jsonb_path_query_array(${table.labels}, ${sql.raw(`'$.keyvalue() ? (@.key like_regex "${languageTagPattern}" && @.value.type() == "string" && @.value like_regex "^[^[:cntrl:]]{1,${categoryLimits.label}}$")'`)}))
          = jsonb_array_length(jsonb_path_query_array(${table.labels}, '$.keyvalue()'))`,
    ),
  ],
);
