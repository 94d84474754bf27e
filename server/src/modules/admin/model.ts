import { t } from "elysia";
import { tenantIdPattern } from "../../tenancy/tenant-id.ts";

export const createTenantBody = t.Object(
  {
    id: t.String({
      pattern: tenantIdPattern,
      description: "Lowercase letters, digits, - and _; up to 63",
    }),
    name: t.String({ minLength: 1, maxLength: 200 }),
    // Optional, not a default: a default made the document call it required.
    allowedOrigins: t.Optional(
      t.Array(t.String({ minLength: 1, maxLength: 300 }), {
        maxItems: 50,
        description:
          "Exact origins (scheme://host[:port]) whose pages may embed the widget; none if left out",
      }),
    ),
  },
  { additionalProperties: false },
);

const retentionDays = t.Integer({
  minimum: 1,
  maximum: 36_500,
  description: "Delete notifications older than this many days; null keeps them forever",
});

export const updateTenantBody = t.Object(
  {
    name: t.Optional(t.String({ minLength: 1, maxLength: 200 })),
    allowedOrigins: t.Optional(
      t.Array(t.String({ minLength: 1, maxLength: 300 }), { maxItems: 50 }),
    ),
    retentionDays: t.Optional(t.Nullable(retentionDays)),
  },
  { additionalProperties: false, minProperties: 1, description: "At least one field to change" },
);

export const tenantView = t.Object({
  id: t.String(),
  name: t.String(),
  allowedOrigins: t.Array(t.String()),
  retentionDays: t.Nullable(t.Integer()),
});

export const erasedResponse = t.Object({ deleted: t.Integer() });

export const createdTenant = t.Object({
  id: t.String(),
  name: t.String(),
  allowedOrigins: t.Array(t.String()),
  signingSecret: t.String({ description: "HS256 secret for user tokens. Shown once." }),
  apiKey: t.String({
    description: "Bearer key for the publish API. Shown once; only its hash is kept.",
  }),
});

export type CreateTenantInput = typeof createTenantBody.static;
export type UpdateTenantInput = typeof updateTenantBody.static;
export type TenantView = typeof tenantView.static;
export type CreatedTenant = typeof createdTenant.static;

export const databaseRole = t.Object({
  role: t.String({ description: "A login role that can insert only this tenant's notifications" }),
  password: t.String({ description: "Shown once" }),
});

/** Longest overlap a rotation allows: a week. */
export const MAX_OVERLAP_SECONDS = 7 * 24 * 3600;
/** Default overlap: a day, the default longest token lifetime, so no page is signed out. */
export const DEFAULT_OVERLAP_SECONDS = 24 * 3600;

export const rotateBody = t.Optional(
  t.Object(
    {
      overlapSeconds: t.Optional(
        t.Integer({
          minimum: 0,
          maximum: MAX_OVERLAP_SECONDS,
          description: `How long the replaced credential stays valid, in seconds (default ${DEFAULT_OVERLAP_SECONDS}; 0 retires it at once, as after a leak)`,
        }),
      ),
    },
    { additionalProperties: false },
  ),
);

export const rotatedSigningSecret = t.Object({
  signingSecret: t.String({ description: "The new HS256 secret. Shown once." }),
  previousSecretValidUntil: t.Nullable(
    t.String({ description: "When the replaced secret stops being accepted; null: already" }),
  ),
});

export const rotatedApiKey = t.Object({
  apiKey: t.String({ description: "The new API key. Shown once; only its hash is kept." }),
  previousKeyValidUntil: t.Nullable(
    t.String({ description: "When the replaced key stops being accepted; null: already" }),
  ),
});

export const tenantStatus = t.Object({ id: t.String(), disabled: t.Boolean() });

export type RotatedSigningSecret = typeof rotatedSigningSecret.static;
export type RotatedApiKey = typeof rotatedApiKey.static;
export type TenantStatus = typeof tenantStatus.static;
