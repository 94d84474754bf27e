import { SignJWT } from "jose";
import type { Database, Sql } from "../db/client.ts";
import { ApiError } from "../http/api-error.ts";
import {
  deleteTenant,
  rotateApiKey,
  rotateSigningSecret,
  setDisabled,
} from "../modules/admin/lifecycle.ts";
import { changeOrigins, createTenant, listTenants } from "../modules/admin/service.ts";
import { deleteCategory, listCategories, putCategory } from "../modules/categories/service.ts";
import type { Command } from "./command.ts";

const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));
const note = (message: string) => console.error(`notify: ${message}`);

/** Runs one command on the server's database (as its owner); results go to stdout. */
export async function runCommand(
  command: Exclude<Command, { name: "help" }>,
  sql: Sql,
  db: Database,
): Promise<void> {
  switch (command.name) {
    case "create": {
      const tenant = await createTenant(db, command.input);
      print(tenant);
      note("store signingSecret and apiKey now; they cannot be shown again.");
      if (tenant.allowedOrigins.length === 0) {
        note(
          `no origin may use the API from a browser yet. Allow your page's with:\n` +
            `  npm run notify -- tenant update --id ${tenant.id} --add-origin http://localhost:5173`,
        );
      }
      return;
    }
    case "update":
      print(
        await changeOrigins(db, command.id, {
          name: command.newName,
          add: command.addOrigins,
          remove: command.removeOrigins,
        }),
      );
      return;
    case "list":
      print(await listTenants(db));
      return;
    case "rotate-secret":
      print(await rotateSigningSecret(sql, command.id, command.overlapSeconds));
      note("store signingSecret now; it cannot be shown again.");
      return;
    case "rotate-key":
      print(await rotateApiKey(sql, command.id, command.overlapSeconds));
      note("store apiKey now; it cannot be shown again.");
      return;
    case "disable":
    case "enable":
      print(await setDisabled(sql, command.id, command.name === "disable"));
      return;
    case "delete":
      await deleteTenant(sql, command.id);
      print({ id: command.id, deleted: true });
      return;
    case "category list":
      await mustExist(sql, command.tenant);
      print(await listCategories(db, command.tenant));
      return;
    case "category set":
      print(await putCategory(db, command.tenant, command.key, command.input));
      return;
    case "category delete":
      await deleteCategory(db, command.tenant, command.key);
      print({ tenant: command.tenant, key: command.key, deleted: true });
      return;
    case "token":
      console.log(await mintToken(sql, command.tenant, command.user, command.ttlSeconds));
      return;
    case "notify":
      print(await insertNotification(sql, command));
      return;
  }
}

/** A user token as a site's backend mints one: HS256 with the tenant's current secret. */
async function mintToken(sql: Sql, tenantId: string, user: string, ttlSeconds: number) {
  const [tenant] = await sql<{ secret: string }[]>`
    SELECT signing_secret AS secret FROM notify.tenants WHERE id = ${tenantId}`;
  if (!tenant) throw new ApiError(404, "not_found", `tenant "${tenantId}" does not exist`);
  return new SignJWT({ tenant: tenantId })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(user)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(tenant.secret));
}

/** The INSERT a tenant app runs (docs/sql-interface.md), through the same triggers. */
async function insertNotification(
  sql: Sql,
  command: Extract<Command, { name: "notify" }>,
): Promise<unknown> {
  await mustExist(sql, command.tenant);
  const { title, body, url, category, groupKey, actor, actions } = command.input;
  const [row] = await sql`
    INSERT INTO notify.notifications (tenant_id, recipient, title, body, url, category,
                                      group_key, actor_name, actor_avatar_url, actions)
    VALUES (${command.tenant}, ${command.user}, ${title}, ${body ?? null}, ${url ?? null},
            ${category ?? null}, ${groupKey ?? null}, ${actor?.name ?? null},
            ${actor?.avatarUrl ?? null}, ${actions ? JSON.stringify(actions) : null}::text::jsonb)
    RETURNING id::text, tenant_id AS "tenantId", recipient, title, body, url, category,
              group_key AS "groupKey", actor_name AS "actorName", actor_avatar_url AS "actorAvatarUrl", actions,
              created_at AS "createdAt"`;
  return row;
}

async function mustExist(sql: Sql, tenantId: string): Promise<void> {
  const [tenant] = await sql`SELECT 1 FROM notify.tenants WHERE id = ${tenantId}`;
  if (!tenant) throw new ApiError(404, "not_found", `tenant "${tenantId}" does not exist`);
}
