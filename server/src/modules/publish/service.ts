import { createHash } from "node:crypto";
import { and, eq, gt, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import {
  avatarUrlPattern,
  categories,
  IDEMPOTENCY_WINDOW,
  idempotencyKeys,
  limits,
  notifications,
  urlPattern,
} from "../../db/schema/index.ts";
import { type Transaction, withTenant } from "../../db/tenant-scope.ts";
import { ApiError } from "../../http/api-error.ts";
import type { PublishInput, PublishResult } from "./model.ts";

/** How long a publish `Idempotency-Key` is remembered. */

const posixToJs = (pattern: string) =>
  new RegExp(pattern.replaceAll("[:space:]", "\\s").replaceAll("[:cntrl:]", "\\p{Cc}"), "iu");
const url = posixToJs(urlPattern);
const avatarUrl = posixToJs(avatarUrlPattern);

/**
 * Checks the database would refuse too, answered early with a message naming the field.
 * The CLI's `notify` runs them as well, so a shell and the API refuse the same input.
 */
export function checkPublishInput(input: PublishInput): void {
  const texts = {
    title: input.title,
    body: input.body,
    category: input.category,
    url: input.url,
    "actor.name": input.actor?.name,
    "actor.avatarUrl": input.actor?.avatarUrl,
  };
  for (const [field, value] of Object.entries(texts)) {
    if (value?.includes("\0")) throw invalid(`${field} may not contain the NUL character`);
  }
  if (input.recipients.some((r) => r.includes("\0"))) {
    throw invalid("recipients may not contain the NUL character");
  }
  if (input.url != null && !url.test(input.url)) {
    throw invalid("url must be an http:// or https:// URL, or a path starting with a single /");
  }
  if (input.actor?.avatarUrl != null && !avatarUrl.test(input.actor.avatarUrl)) {
    throw invalid("actor.avatarUrl must be an https:// URL or a path starting with a single /");
  }
  const actions = input.actions ?? [];
  for (const action of actions) {
    if (/\p{Cc}/u.test(action.label))
      throw invalid("action labels may not contain control characters");
    if (action.url !== undefined && !url.test(action.url)) {
      throw invalid(
        "action urls must be http:// or https:// URLs, or paths starting with a single /",
      );
    }
  }
  if (new Set(actions.map((a) => a.id)).size !== actions.length) {
    throw invalid("action ids must differ");
  }
  if (input.data != null && (typeof input.data !== "object" || Array.isArray(input.data))) {
    throw invalid("data must be a JSON object");
  }
  if (input.data != null && Buffer.byteLength(JSON.stringify(input.data)) > limits.dataBytes) {
    throw invalid(`data may be at most ${limits.dataBytes} bytes of JSON`);
  }
}

function invalid(message: string): ApiError {
  return new ApiError(400, "invalid_request", message);
}

/** JSON with object keys sorted, so the same request hashes the same whatever its key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

async function insert(
  tx: Transaction,
  tenantId: string,
  input: PublishInput,
): Promise<PublishResult> {
  const recipients = [...new Set(input.recipients)];
  if (input.category != null) {
    // The foreign key refuses it too; this answers first, naming the category.
    const [declared] = await tx
      .select({ key: categories.key })
      .from(categories)
      .where(and(eq(categories.tenantId, tenantId), eq(categories.key, input.category)));
    if (!declared) {
      throw invalid(`category ${JSON.stringify(input.category)} is not one the tenant declared`);
    }
  }
  // Counter rows are locked in a stable order, so concurrent multi-recipient publishes
  // cannot deadlock on each other.
  const rows = await tx
    .insert(notifications)
    .values(
      [...recipients].sort().map((recipient) => ({
        tenantId,
        recipient,
        title: input.title,
        body: input.body ?? null,
        url: input.url ?? null,
        category: input.category ?? null,
        data: input.data ?? null,
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
        actorName: input.actor?.name ?? null,
        actorAvatarUrl: input.actor?.avatarUrl ?? null,
        actions: input.actions ?? null,
        groupKey: input.groupKey ?? null,
      })),
    )
    .returning({ id: sql<string>`${notifications.id}::text`, recipient: notifications.recipient });
  const idOf = new Map(rows.map((row) => [row.recipient, row.id]));
  return { ids: recipients.map((recipient) => idOf.get(recipient) as string) };
}

/**
 * Creates one notification per distinct recipient, in one transaction. With an idempotency
 * key, a repeat of the same request returns the first answer and creates nothing; the same
 * key with a different body is a 409. An advisory lock on (tenant, key) makes concurrent
 * repeats wait for the first instead of racing it.
 */
export async function publish(
  db: Database,
  tenantId: string,
  input: PublishInput,
  idempotencyKey: string | undefined,
): Promise<PublishResult> {
  checkPublishInput(input);
  if (idempotencyKey === undefined)
    return withTenant(db, tenantId, (tx) => insert(tx, tenantId, input));

  const requestHash = createHash("sha256").update(canonicalJson(input)).digest("hex");
  return withTenant(db, tenantId, async (tx) => {
    await tx.execute(
      sql`SELECT pg_advisory_xact_lock(hashtextextended(${tenantId} || E'\\n' || ${idempotencyKey}, 0))`,
    );
    const [earlier] = await tx
      .select({ requestHash: idempotencyKeys.requestHash, response: idempotencyKeys.response })
      .from(idempotencyKeys)
      .where(
        and(
          eq(idempotencyKeys.tenantId, tenantId),
          eq(idempotencyKeys.key, idempotencyKey),
          gt(idempotencyKeys.createdAt, sql`now() - ${IDEMPOTENCY_WINDOW}::interval`),
        ),
      );
    if (earlier) {
      if (earlier.requestHash !== requestHash) {
        throw new ApiError(
          409,
          "idempotency_conflict",
          "this Idempotency-Key was used with a different request body",
        );
      }
      return earlier.response as PublishResult;
    }
    const result = await insert(tx, tenantId, input);
    const stored = { tenantId, key: idempotencyKey, requestHash, status: 201, response: result };
    await tx
      .insert(idempotencyKeys)
      .values(stored)
      .onConflictDoUpdate({
        target: [idempotencyKeys.tenantId, idempotencyKeys.key],
        set: { requestHash, status: 201, response: result, createdAt: sql`now()` },
      });
    return result;
  });
}
