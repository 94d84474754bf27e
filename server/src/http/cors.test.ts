import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../../test/support/stack.ts";
import { createTenant, type TestTenant, userToken } from "../../../test/support/tenants.ts";

let stack: Stack;
let acme: TestTenant;

const ACME_SITE = "https://app.acme.example";
const GLOBEX_SITE = "https://globex.example:8443";

beforeAll(async () => {
  stack = await startStack();
  acme = await createTenant(stack.server.url, "acme", [ACME_SITE]);
  await createTenant(stack.server.url, "globex", [GLOBEX_SITE]);
});
afterAll(() => stack?.stop());

const preflight = (origin: string, path = "/v1/notifications/read") =>
  fetch(new URL(path, stack.server.url), {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
    },
  });

describe("CORS", () => {
  it("answers a preflight for an origin some tenant allows, with the headers clients need", async () => {
    for (const origin of [ACME_SITE, GLOBEX_SITE]) {
      const response = await preflight(origin);
      expect(response.status).toBeLessThan(300);
      expect(response.headers.get("access-control-allow-origin")).toBe(origin);
      const allowed = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase();
      for (const header of ["authorization", "content-type", "last-event-id", "idempotency-key"]) {
        expect(allowed).toContain(header);
      }
      // The user's own API from the page: PUT /v1/preferences, DELETE .../snooze.
      for (const method of ["GET", "POST", "PUT", "DELETE"]) {
        expect(response.headers.get("access-control-allow-methods")).toContain(method);
      }
    }
  });

  it("does not allow an origin no tenant lists, nor near misses of one", async () => {
    for (const origin of [
      "https://evil.example",
      "https://app.acme.example.evil.example",
      "http://app.acme.example",
      "https://app.acme.example:444",
      "null",
    ]) {
      const response = await preflight(origin);
      expect(response.headers.get("access-control-allow-origin"), origin).toBeNull();
    }
  });

  it("lets a tenant's page read answers for that tenant's tokens only; never *", async () => {
    const token = await userToken(acme, "cors-user");
    const get = (origin: string, path = "/v1/notifications/unread-count") =>
      fetch(new URL(path, stack.server.url), {
        headers: { origin, authorization: `Bearer ${token}` },
      });
    expect((await get(ACME_SITE)).headers.get("access-control-allow-origin")).toBe(ACME_SITE);
    // Globex's page is a real origin, but not acme's: it may not read acme's users' data.
    expect((await get(GLOBEX_SITE)).headers.get("access-control-allow-origin")).toBeNull();
    expect(
      (await get("https://evil.example")).headers.get("access-control-allow-origin"),
    ).toBeNull();
    // The stream too, including through ?token=.
    const stream = await fetch(new URL(`/v1/stream?token=${token}`, stack.server.url), {
      headers: { origin: ACME_SITE },
    });
    expect(stream.headers.get("access-control-allow-origin")).toBe(ACME_SITE);
    await stream.body?.cancel();
    // A 401 for an expired token stays readable, so the widget can tell it apart from a
    // network failure and fetch a fresh token.
    const expired = await userToken(acme, "cors-user", Math.floor(Date.now() / 1000) - 5);
    const refused = await fetch(new URL("/v1/notifications", stack.server.url), {
      headers: { origin: ACME_SITE, authorization: `Bearer ${expired}` },
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("access-control-allow-origin")).toBe(ACME_SITE);
  });

  it("knows about a tenant created after start, at once", async () => {
    const late = "https://late.example";
    expect((await preflight(late)).headers.get("access-control-allow-origin")).toBeNull();
    await createTenant(stack.server.url, "late", [late]);
    expect((await preflight(late)).headers.get("access-control-allow-origin")).toBe(late);
  });
});
