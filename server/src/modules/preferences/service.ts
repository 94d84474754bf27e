import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { categories, preferences } from "../../db/schema/index.ts";
import { type Transaction, withTenant } from "../../db/tenant-scope.ts";
import { ApiError } from "../../http/api-error.ts";
import type { CountsJson, PreferenceJson } from "../../notification-json.ts";
import { countsOf } from "../../notify-row.ts";
import type { User } from "../auth/index.ts";
import type { PreferencesInput } from "./model.ts";

/**
 * A user's preferences per category (migration 0022). What they do is enforced in SQL, where
 * counts, lists and stream reads test "muted" the same way; this file only reads and writes
 * them. Each write is stamped by its trigger, so every stream of the user gets a
 * `preferences` event.
 */

/** The user's effective set (`notify.user_preferences`): one per category, in tab order. */
async function preferencesIn(tx: Transaction, user: User): Promise<PreferenceJson[]> {
  const [row] = await tx.execute<{ preferences: PreferenceJson[] }>(
    sql`SELECT notify.user_preferences(${user.tenantId}, ${user.recipient}) AS preferences`,
  );
  return row?.preferences ?? [];
}

export function getPreferences(db: Database, user: User) {
  return withTenant(
    db,
    user.tenantId,
    async (tx) => ({ preferences: await preferencesIn(tx, user) }),
    { accessMode: "read only" },
  );
}

/**
 * Sets the given categories' preferences, all or nothing: an undeclared category, or one
 * turned off that is not mutable, is a 400 naming it. A write that changes nothing stored
 * leaves the row (and its stamp) alone. Answers the whole set and the counts after it.
 */
export async function setPreferences(
  db: Database,
  user: User,
  input: PreferencesInput,
): Promise<{ preferences: PreferenceJson[] } & CountsJson> {
  const keys = input.map((p) => p.category);
  if (new Set(keys).size !== keys.length) {
    throw new ApiError(400, "invalid_request", "each category may be given once");
  }
  return withTenant(db, user.tenantId, async (tx) => {
    // Key-share locks: a category cannot be deleted, or its key change, under this write.
    const declared = await tx
      .select({ key: categories.key, mutable: categories.mutable })
      .from(categories)
      .where(and(eq(categories.tenantId, user.tenantId), inArray(categories.key, keys)));
    const mutable = new Map(declared.map((c) => [c.key, c.mutable]));
    for (const p of input) {
      const isMutable = mutable.get(p.category);
      if (isMutable === undefined) {
        throw new ApiError(
          400,
          "invalid_request",
          `category ${JSON.stringify(p.category)} is not one the tenant declared`,
        );
      }
      if (!isMutable && !(p.inInbox && p.asToast)) {
        throw new ApiError(
          400,
          "invalid_request",
          `category ${JSON.stringify(p.category)} cannot be turned off`,
        );
      }
    }
    await tx
      .insert(preferences)
      .values(
        input.map((p) => ({
          tenantId: user.tenantId,
          recipient: user.recipient,
          category: p.category,
          inInbox: p.inInbox,
          asToast: p.asToast,
        })),
      )
      .onConflictDoUpdate({
        target: [preferences.tenantId, preferences.recipient, preferences.category],
        set: {
          inInbox: sql`excluded.in_inbox`,
          asToast: sql`excluded.as_toast`,
          updatedAt: sql`now()`,
        },
        setWhere: sql`(${preferences.inInbox}, ${preferences.asToast}) IS DISTINCT FROM (excluded.in_inbox, excluded.as_toast)`,
      });
    const [counts] = await tx.execute<CountsJson>(countsOf(user.tenantId, user.recipient));
    if (!counts) throw new Error("notify.user_counts answered no row");
    return { preferences: await preferencesIn(tx, user), ...counts };
  });
}
