import { tenantIdPattern } from "../tenancy/tenant-id.ts";

/**
 * The OpenAPI document as a contract a generator can use, made from what Elysia's generator
 * writes (`toOpenAPISchema`) by the rules below. Each rule says what the server does, so the
 * document cannot promise more or less; `api-contract.test.ts` checks it against the running
 * server, route by route.
 */
type Schema = Record<string, unknown>;
type Operation = {
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, unknown>; required?: boolean };
  responses?: Record<string, unknown>;
  security?: Record<string, string[]>[];
};
export type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema>; securitySchemes?: Record<string, Schema> };
  [key: string]: unknown;
};

/** The one error shape (`http/api-error.ts`): every 4xx and 5xx answer has it. */
export const errorSchema: Schema = {
  type: "object",
  required: ["error"],
  additionalProperties: false,
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      additionalProperties: false,
      properties: {
        code: { type: "string", description: "The contract: see docs/http-api.md, Errors" },
        message: { type: "string", description: "For people; may change" },
      },
    },
  },
};

export const securitySchemes = {
  userToken: { type: "http", scheme: "bearer", bearerFormat: "JWT (HS256, tenant-signed)" },
  apiKey: { type: "http", scheme: "bearer", description: "The tenant's API key (nbk_…)" },
  adminToken: { type: "http", scheme: "bearer", description: "NOTIFY_ADMIN_TOKEN" },
  metricsToken: { type: "http", scheme: "bearer", description: "NOTIFY_METRICS_TOKEN" },
} as const;

/** Who may call what: the credential each route's guard checks (`modules/auth`). */
function securityFor(method: string, path: string): Record<string, string[]>[] {
  if (path.startsWith("/v1/admin/")) return [{ adminToken: [] }];
  if (method === "post" && path === "/v1/notifications") return [{ apiKey: [] }];
  if (
    path.startsWith("/v1/notifications") ||
    path === "/v1/stream" ||
    path === "/v1/categories" ||
    path === "/v1/preferences"
  )
    return [{ userToken: [] }];
  if (path === "/metrics") return [{ metricsToken: [] }];
  return [];
}

/** Path parameters the server answers 404 for outside these rules (no such tenant or user). */
const pathParameterRules: Record<string, Schema> = {
  id: { type: "string", pattern: tenantIdPattern },
  recipient: { type: "string", minLength: 1, maxLength: 256 },
  key: { type: "string", minLength: 1, maxLength: 100 },
};

/** Success answers Elysia's generator cannot see (responses not described by a schema). */
const successResponses: Record<string, Record<string, unknown>> = {
  "get /metrics": {
    200: {
      description: "Prometheus text format",
      content: { "text/plain": { schema: { type: "string" } } },
    },
  },
  "get /v1/stream": {
    200: {
      description: "Server-Sent Events: see docs/stream-protocol.md",
      content: { "text/event-stream": { schema: { type: "string" } } },
    },
  },
  "delete /v1/admin/tenants/{id}": { 204: { description: "Deleted" } },
  "delete /v1/admin/tenants/{id}/webhook": { 204: { description: "Removed (or there was none)" } },
  "delete /v1/admin/tenants/{id}/categories/{key}": { 204: { description: "Deleted" } },
};

/** Routes whose body may be left out (Elysia's generator marks every body required). */
const optionalBodies = new Set([
  "post /v1/notifications/read-all",
  "post /v1/admin/tenants/{id}/signing-secret",
  "post /v1/admin/tenants/{id}/api-key",
]);

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

export function toContract(generated: OpenApiDocument): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  for (const [path, operations] of Object.entries(generated.paths)) {
    paths[path] = {};
    for (const [method, operation] of Object.entries(operations)) {
      paths[path][method] = contractOperation(method, path, operation);
    }
  }
  return withoutNullable({
    ...generated,
    paths,
    components: {
      ...generated.components,
      schemas: { ...generated.components?.schemas, Error: errorSchema },
      securitySchemes: { ...securitySchemes },
    },
  }) as OpenApiDocument;
}

function contractOperation(method: string, path: string, operation: Operation): Operation {
  const key = `${method} ${path}`;
  const security = securityFor(method, path);
  const parameters = operation.parameters?.map((parameter) => ({
    ...parameter,
    schema:
      parameter.in === "path"
        ? (pathParameterRules[parameter.name] ?? parameter.schema)
        : numericQuery(parameter.schema),
  }));
  const body = operation.requestBody && {
    ...operation.requestBody,
    required: !optionalBodies.has(key),
    // JSON only: other media types are refused with 415 (`http/json-only.ts`).
    content: { "application/json": operation.requestBody.content?.["application/json"] },
  };
  const errors: Record<string, unknown> = {};
  if (parameters?.length || body) errors[400] = errorResponse("Invalid request or JSON");
  if (security.length) errors[401] = errorResponse("Missing, wrong or expired credential");
  if (path.startsWith("/v1/")) errors[404] = errorResponse("Not found, or not yours");
  if (body) {
    errors[413] = errorResponse("Body over NOTIFY_MAX_BODY_BYTES");
    errors[415] = errorResponse("Body not application/json");
  }
  if (key === "post /v1/admin/tenants") errors[409] = errorResponse("A tenant with that id exists");
  if (key === "post /v1/notifications") {
    errors[403] = errorResponse("The tenant is disabled");
    errors[409] = errorResponse("Idempotency-Key reused with another body");
  }
  if (key === "put /v1/admin/tenants/{id}/categories/{key}") {
    errors[409] = errorResponse("The tenant has as many categories as allowed");
  }
  if (key === "delete /v1/admin/tenants/{id}/categories/{key}") {
    errors[409] = errorResponse("Notifications still have this category");
  }
  if (
    (method === "post" && path.startsWith("/v1/notifications")) ||
    key === "put /v1/preferences"
  ) {
    errors[429] = errorResponse("Rate limited: see Retry-After");
  }
  if (path.startsWith("/v1/")) errors[503] = errorResponse("Database unavailable or busy");
  return {
    ...operation,
    security,
    ...(parameters ? { parameters } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: {
      ...(successResponses[key] ?? {}),
      ...operation.responses,
      ...errors,
      default: errorResponse("Any other error, in the one error shape"),
    },
  };
}

/**
 * Query numbers arrive as text: Elysia documents them as "a string or an integer"; clients
 * send an integer, so that is the contract.
 */
function numericQuery(schema: Schema | undefined): Schema | undefined {
  const union = schema?.anyOf;
  if (!Array.isArray(union)) return schema;
  const integer = union.find((item: Schema) => item.type === "integer");
  const numericString = union.some((item: Schema) => item.format === "integer");
  if (!integer || !numericString) return schema;
  const { anyOf: _, ...rest } = schema as Schema;
  return { ...rest, ...integer };
}

/**
 * OpenAPI 3.1 is JSON Schema: `nullable` is not a keyword there. A nullable schema becomes
 * one whose type (or union) includes "null".
 */
function withoutNullable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullable);
  if (typeof value !== "object" || value === null) return value;
  const { nullable, ...rest } = value as Schema;
  const out: Schema = {};
  for (const [key, item] of Object.entries(rest)) out[key] = withoutNullable(item);
  if (nullable !== true) return out;
  const union = out.anyOf as Schema[] | undefined;
  if (union) {
    if (!union.some((item) => item.type === "null")) out.anyOf = [...union, { type: "null" }];
    return out;
  }
  if (typeof out.type === "string") out.type = [out.type, "null"];
  return out;
}
