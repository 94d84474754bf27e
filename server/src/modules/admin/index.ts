import { Elysia } from "elysia";
import type { TenantRoleLimits } from "../../config.ts";
import type { Database, Sql } from "../../db/client.ts";
import { ApiError } from "../../http/api-error.ts";
import { refuseNonObjectBody } from "../../http/optional-object-body.ts";
import { eraseRecipient } from "../../lifecycle/erasure.ts";
import type { TenantDirectory } from "../../tenancy/directory.ts";
import {
  removeWebhook,
  setWebhook,
  webhookBody,
  webhookView,
} from "../../webhooks/webhook-config.ts";
import { adminAuth } from "../auth/index.ts";
import { deleteTenant, rotateApiKey, rotateSigningSecret, setDisabled } from "./lifecycle.ts";
import {
  createdTenant,
  createTenantBody,
  DEFAULT_OVERLAP_SECONDS,
  databaseRole,
  erasedResponse,
  rotateBody,
  rotatedApiKey,
  rotatedSigningSecret,
  tenantStatus,
  tenantView,
  updateTenantBody,
} from "./model.ts";
import { createDatabaseRole, createTenant, updateTenant } from "./service.ts";

/** Admin API: Bearer NOTIFY_ADMIN_TOKEN. Disabled (401) when that variable is not set. */
export function adminModule(
  sql: Sql,
  db: Database,
  directory: TenantDirectory,
  adminToken: string | undefined,
  tenantRoles: TenantRoleLimits,
) {
  return new Elysia({ name: "admin", prefix: "/v1/admin" })
    .use(adminAuth(adminToken))
    .post(
      "/tenants",
      async ({ body, set }) => {
        const tenant = await createTenant(db, body);
        await directory.reload();
        set.status = 201;
        return tenant;
      },
      {
        body: createTenantBody,
        response: { 201: createdTenant },
        detail: { summary: "Create a tenant", tags: ["admin"] },
      },
    )
    .patch(
      "/tenants/:id",
      async ({ params, body }) => {
        const tenant = await updateTenant(db, params.id, body);
        await directory.reload();
        return tenant;
      },
      {
        body: updateTenantBody,
        response: tenantView,
        detail: {
          summary: "Change a tenant's name, allowed origins or retention",
          tags: ["admin"],
        },
      },
    )
    .post(
      "/tenants/:id/signing-secret",
      async ({ params, body }) => {
        const overlap = body?.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS;
        const rotated = await rotateSigningSecret(sql, params.id, overlap);
        await directory.reload();
        return rotated;
      },
      {
        body: rotateBody,
        transform: refuseNonObjectBody,
        response: rotatedSigningSecret,
        detail: {
          summary: "Rotate the tenant's signing secret; the old one is accepted during the overlap",
          tags: ["admin"],
        },
      },
    )
    .post(
      "/tenants/:id/api-key",
      async ({ params, body }) => {
        const overlap = body?.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS;
        const rotated = await rotateApiKey(sql, params.id, overlap);
        await directory.reload();
        return rotated;
      },
      {
        body: rotateBody,
        transform: refuseNonObjectBody,
        response: rotatedApiKey,
        detail: {
          summary: "Rotate the tenant's API key; the old one is accepted during the overlap",
          tags: ["admin"],
        },
      },
    )
    .post(
      "/tenants/:id/disable",
      async ({ params }) => {
        const status = await setDisabled(sql, params.id, true);
        await directory.reload();
        return status;
      },
      {
        response: tenantStatus,
        detail: {
          summary: "Disable a tenant: its tokens and API key are refused, its streams end",
          tags: ["admin"],
        },
      },
    )
    .post(
      "/tenants/:id/enable",
      async ({ params }) => {
        const status = await setDisabled(sql, params.id, false);
        await directory.reload();
        return status;
      },
      {
        response: tenantStatus,
        detail: { summary: "Enable a disabled tenant again", tags: ["admin"] },
      },
    )
    .delete(
      "/tenants/:id",
      async ({ params, set }) => {
        await deleteTenant(sql, params.id);
        await directory.reload();
        set.status = 204;
      },
      {
        detail: {
          summary: "Delete a tenant and all its data; its id can never be used again",
          tags: ["admin"],
        },
      },
    )
    .delete(
      "/tenants/:id/recipients/:recipient",
      async ({ params }) => {
        const deleted = await eraseRecipient(sql, params.id, params.recipient);
        if (deleted === undefined) {
          throw new ApiError(404, "not_found", `tenant "${params.id}" does not exist`);
        }
        return { deleted };
      },
      {
        response: erasedResponse,
        detail: { summary: "Erase one user's notifications for a tenant", tags: ["admin"] },
      },
    )
    .post(
      "/tenants/:id/database-roles",
      async ({ params, set }) => {
        set.status = 201;
        return createDatabaseRole(sql, params.id, tenantRoles);
      },
      {
        response: { 201: databaseRole },
        detail: {
          summary: "Create a database role that can insert only this tenant's notifications",
          tags: ["admin"],
        },
      },
    )
    .put("/tenants/:id/webhook", ({ params, body }) => setWebhook(sql, params.id, body), {
      body: webhookBody,
      response: webhookView,
      detail: {
        summary: "Set the tenant's webhook: where its events are sent, signed (Standard Webhooks)",
        tags: ["admin"],
      },
    })
    .delete(
      "/tenants/:id/webhook",
      async ({ params, set }) => {
        await removeWebhook(sql, params.id);
        set.status = 204;
      },
      { detail: { summary: "Remove the tenant's webhook and its secret", tags: ["admin"] } },
    );
}
