import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN } from "../../../test/support/server-process.ts";
import { type Stack, startStack } from "../../../test/support/stack.ts";
import { api, createTenant, type TestTenant, userToken } from "../../../test/support/tenants.ts";

let stack: Stack;
let acme: TestTenant;

beforeAll(async () => {
  stack = await startStack();
  acme = await createTenant(stack.server.url, "acme");
});
afterAll(() => stack?.stop());

/** Sends `body` exactly as given (already JSON text, or nothing), so odd bodies stay odd. */
async function send(path: string, credential: string, method: string, body?: string) {
  const response = await fetch(new URL(path, stack.server.url), {
    method,
    headers: {
      authorization: `Bearer ${credential}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body,
  });
  return { status: response.status, body: await response.json() };
}

async function unreadCount(recipient: string): Promise<number> {
  const [row] = await stack.sql`SELECT count(*)::int AS n FROM notify.notifications
    WHERE tenant_id = 'acme' AND recipient = ${recipient} AND read_at IS NULL`;
  return row?.n;
}

describe("bad input gets a clear 4xx, never a 500 or a silent success", () => {
  it("PATCH of a tenant with nothing to change is 400", async () => {
    for (const body of ["{}", undefined]) {
      const answer = await send("/v1/admin/tenants/acme", ADMIN_TOKEN, "PATCH", body);
      expect(answer.status, `body ${body}`).toBe(400);
      expect(answer.body.error.code).toBe("invalid_request");
    }
    const unchanged = await send("/v1/admin/tenants/acme", ADMIN_TOKEN, "PATCH", '{"name":"Acme"}');
    expect(unchanged).toMatchObject({ status: 200, body: { id: "acme", name: "Acme" } });
  });

  it("read-all with a body that is not an object is 400 and marks nothing", async () => {
    await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title)
      VALUES ('acme', 'reader', 'one'), ('acme', 'reader', 'two')`;
    const token = await userToken(acme, "reader");
    for (const body of ['"a string"', "42", "[]", "null", "true"]) {
      const answer = await send("/v1/notifications/read-all", token, "POST", body);
      expect(answer.status, `body ${body}`).toBe(400);
      expect(answer.body.error.code).toBe("invalid_request");
    }
    expect(await unreadCount("reader")).toBe(2);
    const all = await send("/v1/notifications/read-all", token, "POST");
    expect(all).toEqual({
      status: 200,
      body: { unreadCount: 0, unseenCount: 0, categoryCounts: [] },
    });
  });

  it("a rotation with a body that is not an object is 400 and rotates nothing", async () => {
    for (const body of ['"a string"', "42", "[]", "null"]) {
      const answer = await send("/v1/admin/tenants/acme/api-key", ADMIN_TOKEN, "POST", body);
      expect(answer.status, `body ${body}`).toBe(400);
      expect(answer.body.error.code).toBe("invalid_request");
    }
    const published = await send(
      "/v1/notifications",
      acme.apiKey,
      "POST",
      '{"recipients":["r"],"title":"still my key"}',
    );
    expect(published.status).toBe(201);
  });

  it("erasing a user of a tenant that does not exist is 404, as the other admin routes say", async () => {
    const answer = await api(
      stack.server.url,
      "/v1/admin/tenants/nobody/recipients/someone",
      ADMIN_TOKEN,
      { method: "DELETE" },
    );
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe("not_found");
    const known = await api(
      stack.server.url,
      "/v1/admin/tenants/acme/recipients/someone",
      ADMIN_TOKEN,
      {
        method: "DELETE",
      },
    );
    expect(known).toMatchObject({ status: 200, body: { deleted: 0 } });
  });

  it("a value whose own properties shadow Object's methods is refused with 400", async () => {
    for (const body of [
      '{"recipients":[{"toString":{}}],"title":"x"}',
      '{"recipients":[{"toString":{},"valueOf":{}}]}',
      '{"recipients":["a"],"title":{"toString":1}}',
    ]) {
      const answer = await send("/v1/notifications", acme.apiKey, "POST", body);
      expect(answer.status, `body ${body}`).toBe(400);
      expect(answer.body.error.code).toBe("invalid_request");
      expect(answer.body.error.message).toMatch(/^body\//);
    }
  });
});
