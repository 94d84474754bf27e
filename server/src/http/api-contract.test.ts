import { dereference, validate } from "@readme/openapi-parser";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN } from "../../../test/support/server-process.ts";
import { type Stack, startStack } from "../../../test/support/stack.ts";
import { createTenant, type TestTenant, userToken } from "../../../test/support/tenants.ts";

/**
 * The served OpenAPI document is a contract: valid OpenAPI 3.1, and true of the running
 * server. Every documented operation is called with generated input (good and bad ids,
 * queries, bodies and credentials); each answer's status must be documented for it, and its
 * body must match the schema documented for that status.
 */
type Operation = {
  parameters?: { name: string; in: string; required?: boolean; schema: Record<string, unknown> }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
  security: Record<string, string[]>[];
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

let stack: Stack;
let acme: TestTenant;
let served: Document;
let resolved: Document;

beforeAll(async () => {
  stack = await startStack({ NOTIFY_RATE_LIMITS: "off" });
  acme = await createTenant(stack.server.url, "acme");
  await createTenant(stack.server.url, "victim");
  await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title)
    SELECT 'acme', 'alice', 'seed ' || i FROM generate_series(1, 5) AS i`;
  served = await (await fetch(new URL("/docs/json", stack.server.url))).json();
  resolved = (await dereference(structuredClone(served) as never)) as unknown as Document;
});
afterAll(() => stack?.stop());

const operations = () =>
  Object.entries(served.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
  );

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1", async () => {
    expect(served.openapi).toMatch(/^3\.1\./);
    const result = await validate(structuredClone(served) as never);
    expect(result.valid, result.valid ? "" : JSON.stringify(result.errors)).toBe(true);
  });

  it("lists paths exactly as served, without the demo, and JSON bodies only", () => {
    const paths = Object.keys(served.paths);
    expect(paths).toContain("/v1/notifications");
    for (const path of paths) {
      expect(path).not.toMatch(/.\/$/);
      expect(path).not.toMatch(/^\/demo|^\/$/);
    }
    for (const { operation } of operations()) {
      if (operation.requestBody)
        expect(Object.keys(operation.requestBody.content)).toEqual(["application/json"]);
    }
    expect(JSON.stringify(served)).not.toContain('"nullable"');
  });

  it("says who may call every route, and documents every error in the one error shape", () => {
    for (const { path, method, operation } of operations()) {
      const where = `${method} ${path}`;
      expect(operation.security, where).toBeDefined();
      if (path.startsWith("/v1/admin/"))
        expect(operation.security, where).toEqual([{ adminToken: [] }]);
      expect(operation.responses.default, where).toBeDefined();
      for (const [status, response] of Object.entries(operation.responses)) {
        // /healthz answers 503 with its own report, not an error.
        if (status === "default" || (Number(status) >= 400 && path !== "/healthz")) {
          expect(response.content?.["application/json"]?.schema, `${where} ${status}`).toEqual({
            $ref: "#/components/schemas/Error",
          });
        }
      }
    }
  });
});

describe("the running server against its document", () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat("integer", /^-?\d+$/);
  const validators = new Map<unknown, ValidateFunction>();
  const validatorFor = (schema: Record<string, unknown>) => {
    let validator = validators.get(schema);
    if (!validator) {
      validator = ajv.compile(schema);
      validators.set(schema, validator);
    }
    return validator;
  };

  /** A value for a parameter: mostly valid for its schema, sometimes anything at all. */
  const parameterValue = (name: string, path: string) =>
    fc.oneof(
      name === "id" && path.startsWith("/v1/admin/")
        ? fc.constantFrom("victim", "acme", "nobody")
        : name === "recipient"
          ? fc.constantFrom("alice", "bob")
          : name === "limit"
            ? fc.integer({ min: -1, max: 101 }).map(String)
            : name === "filter"
              ? fc.constantFrom("all", "unread", "archived", "none")
              : fc.constantFrom("1", "3", "99999"),
      // Any non-empty segment ("." and ".." would be another path once the URL is resolved).
      fc.string({ minLength: 1, maxLength: 8 }).filter((value) => value !== "." && value !== ".."),
    );

  const body = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 3 }),
    fc.record(
      {
        recipients: fc.array(fc.constantFrom("alice", "bob", ""), { maxLength: 3 }),
        title: fc.string({ maxLength: 5 }),
        ids: fc.array(fc.oneof(fc.constantFrom("1", "2", "3"), fc.integer()), { maxLength: 3 }),
        name: fc.string({ maxLength: 5 }),
        id: fc.constantFrom("new-one", "acme", "Bad!"),
        upTo: fc.constantFrom("3", "x"),
        overlapSeconds: fc.integer({ min: -1, max: 100 }),
      },
      { requiredKeys: [] },
    ),
  );

  it("answers every documented route with a documented status and body", async () => {
    const user = await userToken(acme, "alice");
    const credentials = { userToken: user, apiKey: acme.apiKey, adminToken: ADMIN_TOKEN };
    for (const { path, method, operation } of operations()) {
      const parameters = operation.parameters ?? [];
      const resolvedOperation = resolved.paths[path]?.[method] as Operation;
      await fc.assert(
        fc.asyncProperty(
          fc.record(
            Object.fromEntries(parameters.map((p) => [p.name, parameterValue(p.name, path)])),
          ),
          body,
          fc.constantFrom("right", "wrong", "none"),
          async (values, json, credential) => {
            let target = path;
            const query = new URLSearchParams();
            for (const parameter of parameters) {
              const value = String(values[parameter.name]);
              if (parameter.in === "path")
                target = target.replace(`{${parameter.name}}`, encodeURIComponent(value));
              else if (parameter.in === "query") query.set(parameter.name, value);
            }
            const scheme = Object.keys(operation.security[0] ?? {})[0] as
              | keyof typeof credentials
              | undefined;
            const headers: Record<string, string> = {};
            if (scheme && credential !== "none")
              headers.authorization = `Bearer ${credential === "right" ? credentials[scheme] : "wrong-credential-0123456789"}`;
            const sendsBody = operation.requestBody && json !== undefined;
            if (sendsBody) headers["content-type"] = "application/json";
            const controller = new AbortController();
            const url = new URL(`${target}${query.size ? `?${query}` : ""}`, stack.server.url);
            const response = await fetch(url, {
              method: method.toUpperCase(),
              headers,
              body: sendsBody ? JSON.stringify(json) : undefined,
              signal: controller.signal,
            });
            const where = `${method.toUpperCase()} ${url.pathname}${url.search} (${credential}) → ${response.status}`;
            // Listed for this route by its status: `default` is for generators, not an excuse.
            const documented = resolvedOperation.responses[String(response.status)];
            expect(documented, `${where} is not documented`).toBeDefined();
            const type = response.headers.get("content-type")?.split(";")[0] ?? "";
            const media = documented?.content?.[type];
            if (documented?.content) expect(media, `${where}: ${type}`).toBeDefined();
            if (type === "application/json" && media) {
              const answer = await response.json();
              const check = validatorFor(media.schema);
              expect(
                check(answer),
                `${where}: ${JSON.stringify(check.errors)} in ${JSON.stringify(answer)}`,
              ).toBe(true);
            } else {
              controller.abort();
            }
          },
        ),
        { numRuns: 25 },
      );
    }
    // A deadline, not a measure: once a run has rotated or deleted a tenant, each request with
    // its old credential may wait for the directory's next reload (at most one a second), so
    // the time grows with the number of routes (36 since categories and preferences).
  }, 240_000);

  it("answers a method a path does not serve with 405 and Allow", async () => {
    const response = await fetch(new URL("/v1/notifications/unread-count", stack.server.url), {
      method: "DELETE",
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toContain("GET");
    expect((await response.json()).error.code).toBe("method_not_allowed");
  });

  it("refuses bodies that are not JSON with 415", async () => {
    const response = await fetch(new URL("/v1/notifications", stack.server.url), {
      method: "POST",
      headers: { authorization: `Bearer ${acme.apiKey}` },
      body: new URLSearchParams({ recipients: "alice", title: "form" }),
    });
    expect(response.status).toBe(415);
    expect((await response.json()).error.code).toBe("unsupported_media_type");
  });

  it("serves /docs with no file from another origin", async () => {
    const page = await (await fetch(new URL("/docs", stack.server.url))).text();
    const sources = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map(
      (match) => match[1] as string,
    );
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(source).toMatch(/^\//);
      const asset = await fetch(new URL(source, stack.server.url));
      expect(asset.status, source).toBe(200);
    }
  });
});
