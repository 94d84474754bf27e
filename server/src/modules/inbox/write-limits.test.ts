import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServer } from "../../../../test/support/server-process.ts";
import { type Stack, startStack } from "../../../../test/support/stack.ts";
import { api, createTenant, type TestTenant, userToken } from "../../../../test/support/tenants.ts";

const limits = {
  NOTIFY_USER_WRITES_PER_USER_PER_MINUTE: "4",
  NOTIFY_USER_WRITES_PER_TENANT_PER_MINUTE: "10",
};

let stack: Stack;
/** A second instance on the same database: the budget is shared, not doubled. */
let other: ServerProcess;
let acme: TestTenant;
let globex: TestTenant;

beforeAll(async () => {
  stack = await startStack(limits);
  other = await startServer({ DATABASE_URL: stack.databaseUrl, ...limits });
  acme = await createTenant(stack.server.url, "acme");
  globex = await createTenant(stack.server.url, "globex");
});
afterAll(async () => {
  await other?.stop("SIGKILL");
  await stack?.stop();
});

/** One user write (mark all read), alternating between the two instances. */
function write(token: string, n: number) {
  const url = n % 2 === 0 ? stack.server.url : other.url;
  return api(url, "/v1/notifications/read-all", token, { body: {} });
}

async function knownEverywhere(token: string) {
  for (let i = 0; i < 100; i++) {
    const answer = await api(other.url, "/v1/notifications/unread-count", token);
    if (answer.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the second instance never learnt the tenant");
}

describe("limits on a user's own writes", () => {
  it("answer 429 with Retry-After once the user's budget is spent, counted across instances", async () => {
    const token = await userToken(acme, "clicker");
    await knownEverywhere(token);
    for (let n = 0; n < 4; n++) expect((await write(token, n)).status, `write ${n}`).toBe(200);
    for (const n of [4, 5]) {
      const refused = await write(token, n);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe("rate_limited");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    // Every kind of write counts; reading is not a write.
    for (const path of ["read", "unread", "archive"]) {
      const refused = await api(stack.server.url, `/v1/notifications/${path}`, token, {
        body: { ids: ["1"] },
      });
      expect(refused.status, path).toBe(429);
    }
    expect((await api(other.url, "/v1/notifications", token)).status).toBe(200);
    // Another user of the tenant has a budget of their own.
    expect((await write(await userToken(acme, "calm"), 0)).status).toBe(200);
  });

  it("cap the whole tenant, and leave other tenants alone", async () => {
    // "clicker" spent 4 and "calm" 1 of acme's 10: five more users, one write each, fill it.
    for (let user = 0; user < 5; user++) {
      expect((await write(await userToken(acme, `crowd-${user}`), user)).status).toBe(200);
    }
    const refused = await write(await userToken(acme, "latecomer"), 1);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const globexToken = await userToken(globex, "clicker");
    await knownEverywhere(globexToken);
    expect((await write(globexToken, 1)).status).toBe(200);
  });

  it("refuse bad input without spending the budget", async () => {
    const token = await userToken(globex, "careful");
    for (let n = 0; n < 6; n++) {
      const bad = await api(stack.server.url, "/v1/notifications/read", token, {
        body: { ids: [] },
      });
      expect(bad.status).toBe(400);
    }
    expect((await write(token, 0)).status).toBe(200);
  });

  it("keep no recipient id in clear in the shared table", async () => {
    const rows = await stack.sql`SELECT key FROM notify.rate_limits`;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((row) => row.key).join(" ")).not.toContain("clicker");
  });
});
