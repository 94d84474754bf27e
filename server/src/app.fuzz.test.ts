import fc from "fast-check";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RawRequest, type RawResponse, rawRequest } from "../../test/support/raw-http.ts";
import { ADMIN_TOKEN } from "../../test/support/server-process.ts";
import { type Stack, startStack } from "../../test/support/stack.ts";
import { createTenant, type TestTenant, userToken } from "../../test/support/tenants.ts";

/**
 * Property-based fuzzing of every HTTP input against the real server process: bodies, query
 * parameters, headers, tokens and `Last-Event-ID`, sent as raw bytes (fetch would refuse
 * many of them). Whatever arrives, the answer is never a 5xx and never late, a stream never
 * blames the database for the client's input, and nothing is logged as an unhandled error.
 */
let stack: Stack;
let acme: TestTenant;
let token: string;

/** Runs per property: bounded, so the file stays well under a minute on two cores. */
const RUNS = 150;
/** A hung request fails its run; generous, not a benchmark. */
const TIMEOUT_MS = 5_000;

beforeAll(async () => {
  stack = await startStack({ NOTIFY_RATE_LIMITS: "off", NOTIFY_MAX_BODY_BYTES: "65536" });
  acme = await createTenant(stack.server.url, "acme", ["https://app.example.com"]);
  token = await userToken(acme, "fuzz-user");
  await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title)
    SELECT 'acme', 'fuzz-user', 'seed ' || i FROM generate_series(1, 5) AS i`;
});
afterAll(async () => {
  // The server survived all of it: still healthy, and no failure it did not expect.
  if (stack) {
    const health = await rawRequest(stack.server.url, { method: "GET", target: "/healthz" });
    expect(health.status).toBe(200);
    expect(stack.server.output.filter((line) => line.includes('"level":"error"'))).toEqual([]);
  }
  await stack?.stop();
});

// ---- Arbitraries ----

/** Any code point, weighted towards the characters that break parsers and SQL. */
const hostileUnit = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "\0",
      "\r",
      "\n",
      "%",
      "%00",
      "'",
      '"',
      "\\",
      "/",
      "?",
      "#",
      "&",
      "=",
      "\uFEFF",
      "\uFFFF",
      "\u{10FFFF}",
      "🔔",
      "\uD800",
      "\uDFFF",
    ),
  },
);
const hostile = fc.string({ unit: hostileUnit, maxLength: 300 });
const longText = fc.integer({ min: 0, max: 20_000 }).map((n) => "x".repeat(n));
const anyText = fc.oneof(hostile, longText, fc.constantFrom("", " ", "0", "-1", "null"));
const numberish = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1e300, 2 ** 53, 2 ** 63, Number.MAX_SAFE_INTEGER + 2),
  fc.bigInt().map(String),
  fc.constantFrom("1", "01", "1e3", "0x10", "9".repeat(18), "9".repeat(19), "9".repeat(400)),
);
/** Any JSON value, including the ones near what a field expects. */
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  anyText,
  numberish,
  fc.array(anyText, { maxLength: 5 }),
);
/** A header value a client can put on the wire: latin1, no line breaks (that would be a second header). */
const headerValue = fc.oneof(
  fc.string({ unit: "binary-ascii", maxLength: 200 }).map((v) => v.replace(/[\r\n]/g, "")),
  fc.constantFrom("", " ", "Bearer", "Bearer ", "bearer x", "Basic Zm9vOmJhcg==", "null"),
);

/** Percent-encodes anything, lone surrogates included (as U+FFFD). */
const encode = (text: string) => encodeURIComponent(text.replace(/\p{Cs}/gu, "\uFFFD"));

const futureExp = () => Math.floor(Date.now() / 1000) + 3600;
/** Tokens: garbage, forged, well-signed with hostile claims, expired, wrong algorithm. */
const tokenArb = () =>
  fc.oneof(
    fc.constant(undefined),
    headerValue,
    fc.constant("eyJhbGciOiJub25lIn0.eyJ0ZW5hbnQiOiJhY21lIiwic3ViIjoieCIsImV4cCI6OTk5OTk5OTk5OX0."),
    fc
      .record(
        {
          tenant: fc.oneof(fc.constant("acme"), anyJson),
          sub: fc.oneof(anyText, anyJson),
          exp: fc.oneof(fc.constant(futureExp()), numberish, anyJson),
          iat: numberish,
          nbf: numberish,
        },
        { requiredKeys: [] },
      )
      .chain((claims) =>
        fc.constantFrom(acme.signingSecret, "wrong-secret").map((secret) => ({ claims, secret })),
      )
      .map(async ({ claims, secret }) =>
        new SignJWT(claims as Record<string, unknown>)
          .setProtectedHeader({ alg: "HS256" })
          .sign(new TextEncoder().encode(secret))
          .catch(() => "not.a.jwt"),
      ),
    anyText.map((sub) => userToken(acme, sub.slice(0, 256) || "x")),
    fc.constant(userToken(acme, "fuzz-user", Math.floor(Date.now() / 1000) - 10)),
  );

/** Query strings: known and unknown keys, encoded, double-encoded or raw. */
const queryArb = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom("filter", "limit", "cursor", "token", "lastEventId"), hostile),
      fc.oneof(anyText, numberish.map(String), fc.constantFrom("unread", "all", "archived")),
      fc.constantFrom("encoded", "raw"),
    ),
    { maxLength: 4 },
  )
  .map((pairs) =>
    pairs
      .map(([key, value, how]) =>
        how === "encoded"
          ? `${encode(key)}=${encode(value)}`
          : // Raw: printable ASCII as typed (stray %, &, = and quotes included); only what
            // cannot be on a request line at all is encoded (Bun's own parser answers that).
            `${key}=${value}`.replace(/[^\x21-\x7e]|#/gu, (c) => encode(c)),
      )
      .join("&"),
  );

/** Bodies: JSON shaped like the route's, any JSON, broken JSON, deep nesting, bad bytes. */
function bodyArb(shape: fc.Arbitrary<unknown>) {
  return fc.oneof(
    { weight: 6, arbitrary: shape.map((value) => JSON.stringify(value) ?? "null") },
    { weight: 2, arbitrary: anyJson.map((value) => JSON.stringify(value) ?? "null") },
    { weight: 1, arbitrary: hostile },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "",
        "{",
        '{"ids":[1,]}',
        "[".repeat(5_000) + "]".repeat(5_000),
        `{"a":${"[".repeat(2_000)}${"]".repeat(2_000)}}`,
        '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}',
        "\uFEFF{}",
      ),
    },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
    },
  );
}
const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant("application/json") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      undefined,
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json; charset=latin1",
    ),
  },
  { weight: 1, arbitrary: headerValue },
);

const id = fc.oneof(numberish, anyJson);
const idsShape = fc.record(
  { ids: fc.oneof(fc.array(id, { maxLength: 8 }), anyJson), extra: anyJson },
  { requiredKeys: [] },
);
const publishShape = fc.record(
  {
    recipients: fc.oneof(fc.array(anyText, { maxLength: 5 }), anyJson),
    title: anyText,
    body: fc.oneof(anyText, fc.constant(null)),
    url: fc.oneof(
      fc.constantFrom("https://example.com/a", "/ok", "//evil", "javascript:alert(1)", "/\\x"),
      anyText,
    ),
    category: anyText,
    data: anyJson,
    extra: anyJson,
  },
  { requiredKeys: [] },
);
const tenantShape = fc.record(
  {
    id: fc.oneof(anyText, fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,62}$/)),
    name: anyText,
    allowedOrigins: fc.oneof(
      fc.array(fc.oneof(anyText, fc.constantFrom("https://a.example", "http://x:0")), {
        maxLength: 4,
      }),
      anyJson,
    ),
  },
  { requiredKeys: [] },
);

// ---- Checks ----

async function send(request: RawRequest): Promise<RawResponse> {
  const response = await rawRequest(stack.server.url, request, TIMEOUT_MS);
  expect(response.status, `${request.method} ${request.target}: ${response.body}`).toBeLessThan(
    500,
  );
  // The app's errors have one shape; only Bun's own HTTP parser answers a malformed request
  // (a NUL in a header, say) with a bare 400.
  if (
    request.method !== "HEAD" &&
    response.status >= 400 &&
    response.headers["content-type"]?.startsWith("application/json")
  ) {
    expect(JSON.parse(response.body).error.code, response.body).toEqual(expect.any(String));
  }
  return response;
}

function headers(
  fields: Record<string, string | undefined>,
  extra: [string, string][] = [],
): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(fields))
    if (value !== undefined) out.push([name, value]);
  return [...out, ...extra];
}

const extraHeaders = fc.array(
  fc.tuple(
    fc.oneof(
      fc.constantFrom(
        "Origin",
        "Last-Event-ID",
        "Idempotency-Key",
        "Accept",
        "Accept-Encoding",
        "If-None-Match",
        "X-Forwarded-For",
        "Transfer-Encoding",
        "Expect",
        "Cookie",
      ),
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,30}$/),
    ),
    headerValue,
  ),
  { maxLength: 3 },
);

const bearer = async (tokenOrPromise: unknown) => {
  const value = await tokenOrPromise;
  return typeof value === "string" ? `Bearer ${value}` : undefined;
};

describe("fuzzing every HTTP input", () => {
  it("publish: any body, key, Idempotency-Key and content type", async () => {
    await fc.assert(
      fc.asyncProperty(
        bodyArb(publishShape),
        fc.oneof(fc.constant(acme.apiKey), headerValue),
        fc.option(headerValue),
        contentType,
        extraHeaders.filter(
          (extra) => !extra.some(([name]) => /^(transfer-encoding|expect)$/i.test(name)),
        ),
        async (body, key, idempotencyKey, type, extra) => {
          await send({
            method: "POST",
            target: "/v1/notifications",
            headers: headers(
              {
                Authorization: `Bearer ${key}`,
                "Content-Type": type,
                "Idempotency-Key": idempotencyKey ?? undefined,
              },
              extra,
            ),
            body,
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("inbox: any ids body, query and token on every inbox route", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/read", "/unread", "/archive", "/read-all"),
        bodyArb(fc.oneof(idsShape, fc.record({ upTo: id }, { requiredKeys: [] }))),
        fc.oneof({ weight: 3, arbitrary: fc.constant(token) }, tokenArb()),
        contentType,
        async (route, body, tokenValue, type) => {
          await send({
            method: "POST",
            target: `/v1/notifications${route}`,
            headers: headers({ Authorization: await bearer(tokenValue), "Content-Type": type }),
            body,
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("lists: any query parameters and token", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          "/v1/notifications",
          "/v1/notifications/",
          "/v1/notifications/unread-count",
        ),
        queryArb,
        fc.oneof({ weight: 2, arbitrary: fc.constant(token) }, tokenArb()),
        extraHeaders,
        async (path, query, tokenValue, extra) => {
          await send({
            method: "GET",
            target: query ? `${path}?${query}` : path,
            headers: headers(
              { Authorization: await bearer(tokenValue) },
              extra.filter(([n]) => !/^(transfer-encoding|expect)$/i.test(n)),
            ),
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("stream: any token (header or query), Last-Event-ID and lastEventId", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 2, arbitrary: fc.constant(token) }, tokenArb()),
        fc.boolean(),
        fc.option(fc.oneof(headerValue, numberish.map(String))),
        queryArb,
        async (tokenValue, inQuery, lastEventId, query) => {
          const value = await tokenValue;
          const params = [
            query,
            inQuery && typeof value === "string" ? `token=${encodeURIComponent(value)}` : "",
          ]
            .filter(Boolean)
            .join("&");
          const response = await send({
            method: "GET",
            target: params ? `/v1/stream?${params}` : "/v1/stream",
            headers: headers({
              Accept: "text/event-stream",
              Authorization: inQuery ? undefined : await bearer(value),
              "Last-Event-ID": lastEventId ?? undefined,
            }),
          });
          if (response.status === 200) {
            expect(response.headers["content-type"]).toMatch(/^text\/event-stream/);
            // Bad input is never blamed on the database: the stream opens, or says reset.
            expect(response.body).not.toContain("database_unavailable");
          }
        },
      ),
      {
        numRuns: RUNS,
        // Found by this test once: a well-signed token whose sub holds a NUL.
        examples: [[userToken(acme, "a\u0000b"), false, null, ""]],
      },
    );
  });

  it("admin: any tenant body and admin token", async () => {
    await fc.assert(
      fc.asyncProperty(
        bodyArb(tenantShape),
        fc.oneof({ weight: 3, arbitrary: fc.constant(ADMIN_TOKEN) }, headerValue),
        contentType,
        async (body, admin, type) => {
          await send({
            method: "POST",
            target: "/v1/admin/tenants",
            headers: headers({ Authorization: `Bearer ${admin}`, "Content-Type": type }),
            body,
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("everything else: any method, path, preflight and header", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"),
        fc.oneof(
          fc.constantFrom(
            "/healthz",
            "/metrics",
            "/widget.js",
            "/docs",
            "/docs/json",
            "/v1/stream",
            "/v1/notifications",
            "/v1/admin/tenants",
            "*",
            "//",
            "/../../etc/passwd",
            "/v1/notifications/%00",
            "/v1/notifications/%ZZ",
          ),
          hostile.map((segment) => `/widget/${encode(segment)}`),
          fc
            .array(hostile, { minLength: 1, maxLength: 4 })
            .map((parts) => `/${parts.map((p) => encode(p)).join("/")}`),
        ),
        fc.option(headerValue),
        fc.option(headerValue),
        extraHeaders.filter(
          (extra) => !extra.some(([name]) => /^(transfer-encoding|expect)$/i.test(name)),
        ),
        async (method, target, origin, requestHeaders, extra) => {
          await send({
            method,
            target,
            headers: headers(
              {
                Origin: origin ?? undefined,
                "Access-Control-Request-Method": method === "OPTIONS" ? "POST" : undefined,
                "Access-Control-Request-Headers": requestHeaders ?? undefined,
              },
              extra,
            ),
          });
        },
      ),
      { numRuns: RUNS },
    );
  });
});
