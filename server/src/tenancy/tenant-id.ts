/**
 * What a tenant id may be. The same pattern is the `tenants_id_format` CHECK in
 * `db/schema/tenants.ts`: ids name database roles and appear in tokens and URLs, so the admin
 * API, the documented contract and the database must refuse exactly the same ids.
 */
export const tenantIdPattern = "^[a-z0-9][a-z0-9_-]{0,62}$";
