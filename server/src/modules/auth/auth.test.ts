import { createHmac } from "node:crypto";
import { SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../../../test/support/stack.ts";
import { api, createTenant, type TestTenant, userToken } from "../../../../test/support/tenants.ts";

let stack: Stack;
let acme: TestTenant;
let globex: TestTenant;

beforeAll(async () => {
  stack = await startStack();
  acme = await createTenant(stack.server.url, "acme");
  globex = await createTenant(stack.server.url, "globex");
});
afterAll(() => stack?.stop());

const secret = (tenant: TestTenant) => new TextEncoder().encode(tenant.signingSecret);
const now = () => Math.floor(Date.now() / 1000);
const inAnHour = () => now() + 3600;

/** Signs a payload given as raw JSON text, for values jose will not write (1e999, "\ud800"). */
function signRaw(tenant: TestTenant, payloadJson: string): string {
  const encode = (text: string) => Buffer.from(text).toString("base64url");
  const input = `${encode('{"alg":"HS256","typ":"JWT"}')}.${encode(payloadJson)}`;
  const signature = createHmac("sha256", tenant.signingSecret).update(input).digest("base64url");
  return `${input}.${signature}`;
}

/** Every user endpoint must refuse the same bad tokens the same way. */
const userEndpoints = [
  ["GET", "/v1/notifications"],
  ["GET", "/v1/notifications/unread-count"],
  ["POST", "/v1/notifications/read"],
  ["POST", "/v1/notifications/read-all"],
  ["GET", "/v1/stream"],
] as const;

async function expect401(token: string | undefined, code: string) {
  for (const [method, path] of userEndpoints) {
    const response = await fetch(new URL(path, stack.server.url), {
      method,
      headers: {
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        "content-type": "application/json",
      },
      body: method === "POST" ? JSON.stringify({ ids: ["1"] }) : undefined,
    });
    expect(response.status, `${method} ${path}`).toBe(401);
    expect(response.headers.get("content-type"), path).toMatch(/application\/json/);
    const body = await response.json();
    expect(body, `${method} ${path}`).toEqual({ error: { code, message: expect.any(String) } });
  }
}

describe("user tokens", () => {
  it("accept a valid HS256 token", async () => {
    const response = await api(
      stack.server.url,
      "/v1/notifications/unread-count",
      await userToken(acme, "u"),
    );
    expect(response).toMatchObject({ status: 200, body: { unreadCount: 0 } });
  });

  it("are required", () => expect401(undefined, "unauthorized"));

  it("refuse garbage", () => expect401("not-a-jwt", "invalid_token"));

  it("refuse alg: none", async () => {
    const token = new UnsecuredJWT({ tenant: "acme" })
      .setSubject("u")
      .setExpirationTime("1h")
      .encode();
    await expect401(token, "invalid_token");
  });

  it("refuse other algorithms, even with the right secret", async () => {
    const token = await new SignJWT({ tenant: "acme" })
      .setProtectedHeader({ alg: "HS512" })
      .setSubject("u")
      .setExpirationTime("1h")
      .sign(secret(acme));
    await expect401(token, "invalid_token");
  });

  it("refuse a bad signature, including another tenant's secret", async () => {
    const token = await new SignJWT({ tenant: "acme" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("u")
      .setExpirationTime("1h")
      .sign(secret(globex));
    await expect401(token, "invalid_token");
  });

  it("refuse a token without exp", async () => {
    const token = await new SignJWT({ tenant: "acme" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("u")
      .sign(secret(acme));
    await expect401(token, "invalid_token");
  });

  it("refuse a token without sub", async () => {
    const token = await new SignJWT({ tenant: "acme" })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime(inAnHour())
      .sign(secret(acme));
    await expect401(token, "invalid_token");
  });

  it("refuse a sub Postgres cannot store (NUL): 401, not a 400 or a stream closed as database_unavailable", async () => {
    await expect401(await userToken(acme, "a\u0000b"), "invalid_token");
  });

  it("refuse an expired token", async () => {
    const token = await userToken(acme, "u", Math.floor(Date.now() / 1000) - 10);
    await expect401(token, "token_expired");
  });

  it("refuse an unknown tenant exactly as a bad signature: ids cannot be probed", async () => {
    const token = await new SignJWT({ tenant: "nobody" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("u")
      .setExpirationTime("1h")
      .sign(secret(acme));
    await expect401(token, "invalid_token");
    const forged = await new SignJWT({ tenant: "acme" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("u")
      .setExpirationTime("1h")
      .sign(secret(globex));
    const answer = (jwt: string) => api(stack.server.url, "/v1/notifications", jwt);
    expect((await answer(token)).body).toEqual((await answer(forged)).body);
  });

  it("accept a token that lives up to a day", async () => {
    const token = await userToken(acme, "u", now() + 86_400 - 60);
    expect((await api(stack.server.url, "/v1/notifications", token)).status).toBe(200);
  });

  it("refuse a token that lives longer than a day (NOTIFY_MAX_TOKEN_LIFETIME_SECONDS)", async () => {
    await expect401(await userToken(acme, "u", now() + 2 * 86_400), "invalid_token");
  });

  it("refuse an exp in the year 9999 or of 1e999", async () => {
    await expect401(await userToken(acme, "u", 253_402_300_799), "invalid_token");
    await expect401(signRaw(acme, '{"tenant":"acme","sub":"u","exp":1e999}'), "invalid_token");
  });

  it("refuse an iat in the future", async () => {
    const token = signRaw(
      acme,
      JSON.stringify({ tenant: "acme", sub: "u", iat: inAnHour(), exp: inAnHour() }),
    );
    await expect401(token, "invalid_token");
  });

  it("refuse a sub that is not well-formed Unicode (a lone surrogate), never folding it", async () => {
    const payload = (sub: string) => `{"tenant":"acme","sub":"${sub}","exp":${inAnHour()}}`;
    await expect401(signRaw(acme, payload("mallory\\ud800")), "invalid_token");
    await expect401(signRaw(acme, payload("mallory\\udc00")), "invalid_token");
    // A well-formed pair is one character, and fine.
    const pair = signRaw(acme, payload("emoji\\ud83d\\ude00"));
    expect((await api(stack.server.url, "/v1/notifications", pair)).status).toBe(200);
  });

  it("read one ?token= for CORS and authentication: a repeated one is refused (400)", async () => {
    const mine = await userToken(acme, "u");
    const theirs = await userToken(globex, "u");
    for (const [first, second] of [
      [mine, theirs],
      [theirs, mine],
    ]) {
      const url = new URL("/v1/stream", stack.server.url);
      url.searchParams.append("token", first as string);
      url.searchParams.append("token", second as string);
      const response = await fetch(url);
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("invalid_request");
    }
  });

  it("are accepted in ?token= on the stream only", async () => {
    const token = await userToken(acme, "u");
    const stream = await fetch(new URL(`/v1/stream?token=${token}`, stack.server.url));
    expect(stream.status).toBe(200);
    await stream.body?.cancel();
    const list = await fetch(new URL(`/v1/notifications?token=${token}`, stack.server.url));
    expect(list.status).toBe(401);
  });

  it("never reach the logs", async () => {
    const token = await userToken(acme, "log-check");
    const stream = await fetch(new URL(`/v1/stream?token=${token}`, stack.server.url));
    await stream.body?.cancel();
    await api(stack.server.url, "/v1/notifications", token);
    await api(stack.server.url, "/v1/notifications", `${token}x`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const logs = stack.server.output.join("\n");
    expect(logs).toContain("/v1/stream");
    expect(logs).not.toContain(token.split(".")[2]);
    expect(logs).not.toContain(acme.signingSecret);
    expect(logs).not.toContain(acme.apiKey);
  });
});

describe("admin API", () => {
  it("requires the admin token", async () => {
    const response = await api(stack.server.url, "/v1/admin/tenants", "wrong-admin-token-xxxxxxx", {
      body: { id: "x", name: "X", allowedOrigins: [] },
    });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("unauthorized");
  });

  it("refuses duplicate ids, bad ids and origins that are not exact", async () => {
    const admin = "test-admin-token-0123456789";
    const create = (body: unknown) => api(stack.server.url, "/v1/admin/tenants", admin, { body });
    expect((await create({ id: "acme", name: "Again", allowedOrigins: [] })).status).toBe(409);
    expect((await create({ id: "Bad Id!", name: "X", allowedOrigins: [] })).status).toBe(400);
    for (const origin of [
      "https://a.example.com/",
      "https://a.example.com/path",
      "*",
      "a.example.com",
      "ftp://x.y",
    ]) {
      const response = await create({ id: "t-origin", name: "X", allowedOrigins: [origin] });
      expect(response.status, origin).toBe(400);
      expect(response.body.error.code).toBe("invalid_request");
    }
  });

  it("returns the signing secret and API key once and stores only the key's hash", async () => {
    const tenant = await createTenant(stack.server.url, "hashcheck", ["https://app.example.com"]);
    expect(tenant.apiKey).toMatch(/^nbk_/);
    const [row] =
      await stack.sql`SELECT api_key_hash, to_json(allowed_origins) AS allowed_origins FROM notify.tenants WHERE id = 'hashcheck'`;
    expect(row?.api_key_hash).not.toContain(tenant.apiKey);
    expect(row?.allowed_origins).toEqual(["https://app.example.com"]);
  });
});
