import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "../test/support/raw-http.ts";
import { ADMIN_TOKEN } from "../test/support/server-process.ts";
import { api } from "../test/support/tenants.ts";
import { type DemoServer, startDemoServer } from "./support/demo-server.ts";

/**
 * The demo is anonymous by design, so it must take no more than the server does: the same
 * body limit, depth guard and error handler on both of its origins, a cap on what anonymous
 * callers insert, and a tenant prefix of its own.
 */
let demo: DemoServer;

beforeAll(async () => {
  demo = await startDemoServer();
});
afterAll(() => demo?.stop());

const message = (title: string) => ({ tenant: "demo-acme", recipient: "alice", title });

describe("the demo's second origin", () => {
  it("refuses deeply nested JSON with the server's 400, not a 64 MB error page", async () => {
    const deep = `${"[".repeat(4_000)}${"]".repeat(4_000)}`;
    const answer = await rawRequest(`${demo.secondUrl}/`, {
      method: "POST",
      target: "/demo/api/publish",
      headers: [["Content-Type", "application/json"]],
      body: deep,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.length).toBeLessThan(1_000);
    expect(JSON.parse(answer.body).error.code).toBe("invalid_request");
  });

  it("refuses a body over the limit with the server's 413", async () => {
    const answer = await rawRequest(`${demo.secondUrl}/`, {
      method: "POST",
      target: "/demo/api/publish",
      headers: [["Content-Type", "application/json"]],
      body: JSON.stringify(message("x".repeat(300 * 1024))),
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe("payload_too_large");
  });

  it("answers crafted paths with the server's JSON errors, never a page naming the folder", async () => {
    for (const target of ["/demo/%E0%A4%A", "/%", "/demo/..%2f..%2fpackage.json", "/nowhere"]) {
      const answer = await rawRequest(`${demo.secondUrl}/`, { method: "GET", target });
      expect(answer.status, target).toBeGreaterThanOrEqual(400);
      expect(answer.status, target).toBeLessThan(500);
      expect(answer.body, target).not.toContain(process.cwd());
      expect(JSON.parse(answer.body).error.message, target).toEqual(expect.any(String));
    }
  });
});

describe("anonymous inserts", () => {
  it("are capped per client: 429 with Retry-After", async () => {
    const insert = () =>
      fetch(`${demo.url}/demo/api/sql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(message("flood")),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const answer = await insert();
      statuses.push(answer.status);
      if (answer.status === 429) {
        expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
        break;
      }
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(30);
  });
});

describe("the demo- prefix", () => {
  it("is reserved: no one else can create a tenant with it", async () => {
    for (const id of ["demo-acme", "demo-mine"]) {
      const created = await api(demo.url, "/v1/admin/tenants", ADMIN_TOKEN, {
        body: { id, name: "Not the demo" },
      });
      expect(created.status, id).toBe(400);
      expect(created.body.error.message).toMatch(/demo-/);
    }
  });
});
