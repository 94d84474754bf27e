import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "../../../test/support/raw-http.ts";
import { type Stack, startStack } from "../../../test/support/stack.ts";
import { api, createTenant, type TestTenant } from "../../../test/support/tenants.ts";
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

/** POSTs `bytes` of JSON-ish text chunked (no Content-Length), as a client hiding its size. */
function postChunked(path: string, bytes: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      new URL(path, stack.server.url),
      { method: "POST", headers: { "content-type": "application/json" } },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          body += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    // The server may answer and close before the whole body is sent.
    request.on("error", (error) => reject(error));
    const chunk = "x".repeat(64 * 1024);
    for (let sent = 0; sent < bytes; sent += chunk.length) request.write(chunk);
    request.end();
  });
}

describe("bodies without a length", () => {
  it("refuse an oversized anonymous body with 413, logged as a warning, not an unhandled error", async () => {
    const before = stack.server.output.length;
    const answer = await postChunked("/v1/notifications", 2 * 1024 * 1024).catch(
      (error: Error) => ({ status: 0, body: error.message }),
    );
    expect([413, 0]).toContain(answer.status);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const logged = stack.server.output.slice(before).join("\n");
    expect(logged).not.toContain("unhandled error");
    expect(logged).not.toContain('"level":"error"');
  });
});
