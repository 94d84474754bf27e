import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "../../test/support/raw-http.ts";
import { type Stack, startStack } from "../../test/support/stack.ts";
import { api, createTenant, type TestTenant } from "../../test/support/tenants.ts";
import { MAX_JSON_DEPTH } from "./body-limit.ts";

let stack: Stack;
let acme: TestTenant;

beforeAll(async () => {
  stack = await startStack({ NOTIFY_RATE_LIMITS: "off" });
  acme = await createTenant(stack.server.url, "acme");
});
afterAll(() => stack?.stop());

/** `{"a":{"a":…{}…}}`, `depth` objects deep. */
const nested = (depth: number): unknown => (depth === 0 ? 1 : { a: nested(depth - 1) });

describe("JSON nesting", () => {
  // Found by the HTTP fuzzer (app.fuzz.test.ts): Elysia's validation error pretty-prints the
  // refused value, at a cost that grows with the square of its depth.
  it("refuses deeply nested JSON at once, without blocking the process", async () => {
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    for (const [target, credential] of [
      ["/v1/notifications", acme.apiKey],
      ["/v1/admin/tenants", "x"],
    ] as const) {
      const response = await rawRequest(
        stack.server.url,
        {
          method: "POST",
          target,
          headers: [
            ["Authorization", `Bearer ${credential}`],
            ["Content-Type", "application/json"],
          ],
          body: deep,
        },
        10_000,
      );
      expect(response.status, target).toBe(400);
      expect(JSON.parse(response.body).error.code).toBe("invalid_request");
    }
  });

  it(`accepts ${MAX_JSON_DEPTH} levels, refuses one more`, async () => {
    // The body object is the first level, `data` the second.
    const ok = await api(stack.server.url, "/v1/notifications", acme.apiKey, {
      body: { recipients: ["r"], title: "deep", data: nested(MAX_JSON_DEPTH - 1) },
    });
    expect(ok.status).toBe(201);
    const tooDeep = await api(stack.server.url, "/v1/notifications", acme.apiKey, {
      body: { recipients: ["r"], title: "deep", data: nested(MAX_JSON_DEPTH) },
    });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.error.message).toContain(`${MAX_JSON_DEPTH} levels`);
    // Brackets inside strings are text, not nesting.
    const inText = await api(stack.server.url, "/v1/notifications", acme.apiKey, {
      body: { recipients: ["r"], title: "[".repeat(100), body: '\\"{'.repeat(100) },
    });
    expect(inText.status).toBe(201);
  });
});
