import { t } from "elysia";

export const tenantIdPattern = "^[a-z0-9][a-z0-9_-]{0,62}$";

export const createTenantBody = t.Object(
  {
    id: t.String({
      pattern: tenantIdPattern,
      description: "Lowercase letters, digits, - and _; up to 63",
    }),
    name: t.String({ minLength: 1, maxLength: 200 }),
    allowedOrigins: t.Array(t.String({ minLength: 1, maxLength: 300 }), {
      maxItems: 50,
      default: [],
      description: "Exact origins (scheme://host[:port]) whose pages may embed the widget",
    }),
  },
  { additionalProperties: false },
);

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
export type CreatedTenant = typeof createdTenant.static;
