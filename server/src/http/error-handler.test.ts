import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN } from "../../../test/support/server-process.ts";
import { type Stack, startStack } from "../../../test/support/stack.ts";
import { api } from "../../../test/support/tenants.ts";

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe("database errors behind Drizzle", () => {
  // Drizzle wraps what postgres.js throws (`DrizzleQueryError`, the original as `cause`):
  // the SQLSTATE must still decide the answer. Found by the HTTP fuzzer (app.fuzz.test.ts).
  it("answers 400 invalid_request for a value Postgres cannot store (NUL), not 500", async () => {
    const response = await api(stack.server.url, "/v1/admin/tenants", ADMIN_TOKEN, {
      body: { id: "nul", name: "bad\u0000name", allowedOrigins: [] },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("invalid_request");
    expect(stack.server.output.join("\n")).not.toContain("unhandled error");
  });
});
