import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { categories, categoryLimits, tenants } from "../../db/schema/index.ts";
import type { Transaction } from "../../db/tenant-scope.ts";
import { ApiError } from "../../http/api-error.ts";
import type { CategoryJson } from "../../notification-json.ts";
import type { CategoryInput } from "./model.ts";

/**
 * A tenant's categories (migration 0022): declared by the operator (admin API, CLI) or the
 * tenant (SQL), read by users for tabs and labels. These functions take the owner's database
 * for the operator's calls, or a tenant-scoped transaction for a user's (row-level security
 * then shows only that tenant's rows).
 */

const categoryView = {
  key: categories.key,
  labels: sql<CategoryJson["labels"]>`${categories.labels}`,
  position: categories.position,
  mutable: categories.mutable,
};

/** In tab order: position, then key (byte order, as every count orders them). */
export function listCategories(
  db: Database | Transaction,
  tenantId: string,
): Promise<CategoryJson[]> {
  return db
    .select(categoryView)
    .from(categories)
    .where(eq(categories.tenantId, tenantId))
    .orderBy(asc(categories.position), sql`${categories.key} COLLATE "C"`);
}

/** The operator's listing: a tenant that does not exist is a 404, not an empty list. */
export async function listTenantCategories(db: Database, tenantId: string) {
  const [tenant] = await db
    .select({ id: tenants.id })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!tenant) throw new ApiError(404, "not_found", `tenant "${tenantId}" does not exist`);
  return listCategories(db, tenantId);
}

/** Checks the database makes too, answered first with a message naming the field. */
function check(key: string, input: CategoryInput): void {
  if (key.includes("\0")) throw invalid("the key may not contain the NUL character");
  for (const [language, label] of Object.entries(input.labels)) {
    if (/\p{Cc}/u.test(label)) {
      throw invalid(`labels.${language} may not contain control characters`);
    }
  }
}

function invalid(message: string): ApiError {
  return new ApiError(400, "invalid_request", message);
}

/** The Postgres error code behind a Drizzle error, and the constraint it names. */
function postgresError(error: unknown): { code?: string; constraint?: string } {
  const cause = (error as { cause?: { code?: string; constraint_name?: string } }).cause;
  return { code: cause?.code, constraint: cause?.constraint_name };
}

/**
 * Declares category `key` for the tenant, or replaces its labels, position and mutability
 * (left out: 0 and true). Changing `mutable` takes effect on every user's preference for it
 * at once; their streams hear of it (trigger `restamp_preferences`).
 */
export async function putCategory(
  db: Database,
  tenantId: string,
  key: string,
  input: CategoryInput,
): Promise<CategoryJson> {
  check(key, input);
  const values = {
    labels: input.labels,
    position: input.position ?? 0,
    mutable: input.mutable ?? true,
  };
  try {
    return await db.transaction(async (tx) => {
      const [tenant] = await tx
        .select({ id: tenants.id })
        .from(tenants)
        .where(eq(tenants.id, tenantId));
      if (!tenant) throw new ApiError(404, "not_found", `tenant "${tenantId}" does not exist`);
      const [row] = await tx
        .insert(categories)
        .values({ tenantId, key, ...values })
        .onConflictDoUpdate({ target: [categories.tenantId, categories.key], set: values })
        .returning(categoryView);
      if (!row) throw new Error("the category upsert returned no row");
      return row;
    });
  } catch (error) {
    if (postgresError(error).constraint === "categories_per_tenant") {
      throw new ApiError(
        409,
        "conflict",
        `a tenant has at most ${categoryLimits.perTenant} categories`,
      );
    }
    throw error;
  }
}

/**
 * Removes category `key`, and every user's preference for it. Refused (409) while any
 * notification has it: the foreign key `notifications_category_declared` says so.
 */
export async function deleteCategory(db: Database, tenantId: string, key: string): Promise<void> {
  let deleted: unknown[];
  try {
    deleted = await db
      .delete(categories)
      .where(and(eq(categories.tenantId, tenantId), eq(categories.key, key)))
      .returning({ key: categories.key });
  } catch (error) {
    if (postgresError(error).constraint === "notifications_category_declared") {
      throw new ApiError(
        409,
        "conflict",
        `notifications still have category "${key}": delete or recategorise them first`,
      );
    }
    throw error;
  }
  if (deleted.length === 0) {
    throw new ApiError(404, "not_found", `tenant "${tenantId}" has no category "${key}"`);
  }
}
