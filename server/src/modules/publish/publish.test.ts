import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../../../test/support/database.ts";
import { ADMIN_TOKEN } from "../../../../test/support/server-process.ts";
import { SseClient } from "../../../../test/support/sse-client.ts";
import { type Stack, startStack } from "../../../../test/support/stack.ts";
import { api, createTenant, type TestTenant, userToken } from "../../../../test/support/tenants.ts";

let stack: Stack;
let acme: TestTenant;
let globex: TestTenant;

beforeAll(async () => {
  stack = await startStack({ NOTIFY_MAX_BODY_BYTES: "65536" });
  acme = await createTenant(stack.server.url, "acme");
  globex = await createTenant(stack.server.url, "globex");
});
afterAll(() => stack?.stop());

const publish = (apiKey: string, body: unknown, headers: Record<string, string> = {}) =>
  api(stack.server.url, "/v1/notifications", apiKey, { body, headers });

describe("POST /v1/notifications", () => {
  it("creates one notification per distinct recipient and streams it", async () => {
    const stream = await SseClient.connect(stack.server.url, "/v1/stream", {
      token: await userToken(acme, "pub-a"),
    });
    await stream.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
    await api(stack.server.url, "/v1/admin/tenants/acme/categories/ci", ADMIN_TOKEN, {
      method: "PUT",
      body: { labels: { en: "CI" } },
    });
    const response = await publish(acme.apiKey, {
      recipients: ["pub-b", "pub-a", "pub-b"],
      title: "Deploy finished",
      body: "All green",
      url: "/deploys/42",
      category: "ci",
      data: { deploy: 42 },
    });
    expect(response.status).toBe(201);
    expect(response.body.ids).toHaveLength(2);
    const rows = await stack.sql`SELECT id::text, recipient FROM notify.notifications
      WHERE id IN ${stack.sql(response.body.ids)}`;
    const byId = Object.fromEntries(rows.map((row) => [row.id, row.recipient]));
    expect(response.body.ids.map((id: string) => byId[id])).toEqual(["pub-b", "pub-a"]);
    await stream.waitFor((c) => c.events.length === 1, 5_000, "published event");
    expect(stream.dataOf("notification")[0]).toMatchObject({
      id: response.body.ids[1],
      title: "Deploy finished",
      data: { deploy: 42 },
    });
    stream.close();
  });

  it("is idempotent with an Idempotency-Key: a retry creates nothing and gets the first answer", async () => {
    const body = { recipients: ["idem"], title: "Once" };
    const headers = { "idempotency-key": "order-1234" };
    const first = await publish(acme.apiKey, body, headers);
    const retries = await Promise.all([1, 2, 3].map(() => publish(acme.apiKey, body, headers)));
    for (const retry of retries) expect(retry).toMatchObject({ status: 201, body: first.body });
    const [{ count }] = (await stack.sql`SELECT count(*)::int FROM notify.notifications
      WHERE tenant_id = 'acme' AND recipient = 'idem'`) as unknown as [{ count: number }];
    expect(count).toBe(1);

    // The same request with its fields in another order is the same request.
    const reordered = await publish(acme.apiKey, { title: "Once", recipients: ["idem"] }, headers);
    expect(reordered).toMatchObject({ status: 201, body: first.body });

    const conflict = await publish(acme.apiKey, { ...body, title: "Different" }, headers);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe("idempotency_conflict");
    // Keys belong to a tenant: another tenant may use the same key for its own request.
    const other = await publish(globex.apiKey, body, headers);
    expect(other.status).toBe(201);
    expect(other.body.ids).not.toEqual(first.body.ids);
  });

  it("refuses a missing or unknown API key, and a user token", async () => {
    expect((await publish("nbk_not-a-key", { recipients: ["x"], title: "t" })).status).toBe(401);
    const noKey = await fetch(new URL("/v1/notifications", stack.server.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ recipients: ["x"], title: "t" }),
    });
    expect(noKey.status).toBe(401);
    const asUser = await publish(await userToken(acme, "x"), { recipients: ["x"], title: "t" });
    expect(asUser.status).toBe(401);
  });

  it("refuses bad input with 400 and creates nothing", async () => {
    const cases: unknown[] = [
      {},
      { recipients: [], title: "t" },
      { recipients: ["x"] },
      { recipients: ["x"], title: "" },
      { recipients: [""], title: "t" },
      { recipients: ["x"], title: "t".repeat(1001) },
      { recipients: ["x"], title: "t", url: "javascript:alert(1)" },
      { recipients: ["x"], title: "t", url: "data:text/html,hi" },
      { recipients: ["x"], title: "t", url: "//evil.example.com" },
      { recipients: ["x"], title: "t", url: "/\\evil.example.com" },
      { recipients: ["x"], title: "t", url: "https://ok.example.com/a b" },
      { recipients: ["x"], title: "t", url: "relative/path" },
      { recipients: ["x"], title: "nul \u0000 inside" },
      { recipients: ["x"], title: "t", data: [1, 2] },
      { recipients: ["x"], title: "t", data: { big: "x".repeat(17_000) } },
      { recipients: ["x"], title: "t", unknownField: 1 },
      { recipients: Array.from({ length: 1001 }, (_, i) => `r${i}`), title: "t" },
    ];
    for (const body of cases) {
      const response = await publish(acme.apiKey, body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.body.error.code).toBe("invalid_request");
    }
    const [{ count }] = (await stack.sql`SELECT count(*)::int FROM notify.notifications
      WHERE recipient = 'x'`) as unknown as [{ count: number }];
    expect(count).toBe(0);
  });

  it("refuses oversized bodies with 413 before reading them", async () => {
    const response = await publish(acme.apiKey, {
      recipients: ["x"],
      title: "t",
      body: "b".repeat(70_000),
    });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe("payload_too_large");
  });

  it("accepts every Unicode text and http(s) or path URLs", async () => {
    const texts = [
      "한국어 알림",
      "emoji 🔔🎉",
      "line\nbreaks\r\nkept",
      "right-to-left עברית",
      "\u2028\u2029",
    ];
    for (const title of texts) {
      const response = await publish(acme.apiKey, { recipients: ["unicode"], title, body: title });
      expect(response.status, title).toBe(201);
    }
    for (const url of ["https://example.com/a?b=c#d", "HTTP://EXAMPLE.COM", "/", "/inbox?x=1"]) {
      expect(
        (await publish(acme.apiKey, { recipients: ["unicode"], title: "u", url })).status,
        url,
      ).toBe(201);
    }
    const list = await api(
      stack.server.url,
      "/v1/notifications?limit=100",
      await userToken(acme, "unicode"),
    );
    const titles = list.body.items.map((item: { title: string }) => item.title);
    for (const title of texts) expect(titles).toContain(title);
  });
});

describe("the SQL interface", () => {
  const insert = (values: Record<string, unknown>) =>
    stack.sql`INSERT INTO notify.notifications ${stack.sql({ tenant_id: "acme", recipient: "sql", title: "t", ...values })}`;

  it("refuses bad rows with a clear error naming the rule", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ title: "" }, "notifications_title_length"],
      [{ title: null }, "null value"],
      [{ recipient: "" }, "notifications_recipient_length"],
      [{ url: "javascript:alert(1)" }, "notifications_url_format"],
      [{ url: "//evil.example.com" }, "notifications_url_format"],
      [{ url: "ftp://files.example.com" }, "notifications_url_format"],
      [{ body: "b".repeat(10_001) }, "notifications_body_length"],
      [{ data: stack.sql.json([1]) }, "notifications_data_object"],
      [{ tenant_id: "no-such-tenant" }, "foreign key"],
    ];
    for (const [values, message] of cases) {
      await expect(insert(values), JSON.stringify(values).slice(0, 60)).rejects.toThrow(message);
    }
  });

  it("stamps changes itself: a tenant app cannot forge the change log", async () => {
    await insert({ txid: "5", created_txid: "5", title: "forged" });
    const [row] = await stack.sql`SELECT txid::text, created_txid::text
      FROM notify.notifications WHERE title = 'forged'`;
    expect(row?.txid).not.toBe("5");
    expect(row?.created_txid).toBe(row?.txid);
    await expect(
      stack.sql`UPDATE notify.notifications SET recipient = 'someone-else' WHERE title = 'forged'`,
    ).rejects.toThrow("cannot be changed");
  });

  it("gives a working database role to a tenant whose id is as long as ids go (63)", async () => {
    const id = `long-${"x".repeat(58)}`;
    await createTenant(stack.server.url, id);
    const created = await api(
      stack.server.url,
      `/v1/admin/tenants/${id}/database-roles`,
      ADMIN_TOKEN,
      {
        method: "POST",
      },
    );
    expect(created.status).toBe(201);
    expect(Buffer.byteLength(created.body.role)).toBeLessThanOrEqual(63);
    const url = new URL(stack.databaseUrl);
    url.username = created.body.role;
    url.password = created.body.password;
    const app = connect(url.toString(), 1);
    try {
      await app`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES (${id}, 'u', 'hi')`;
    } finally {
      await app.end();
    }
  });

  it("gives a tenant app a database role that can write and read only its own tenant's rows", async () => {
    const created = await api(
      stack.server.url,
      "/v1/admin/tenants/acme/database-roles",
      ADMIN_TOKEN,
      {
        method: "POST",
      },
    );
    expect(created.status).toBe(201);
    const url = new URL(stack.databaseUrl);
    url.username = created.body.role;
    url.password = created.body.password;
    const app = connect(url.toString(), 1);
    try {
      await app`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('acme', 'limited', 'hi')`;
      await expect(
        app`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('globex', 'limited', 'x')`,
      ).rejects.toThrow("row-level security");
      for (const table of ["ticks", "tombstones"]) {
        await expect(app.unsafe(`DELETE FROM notify.${table}`), table).rejects.toThrow(
          "permission denied",
        );
      }
      await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('globex', 'limited', 'theirs')`;
      const visible = await app`SELECT tenant_id FROM notify.notifications`;
      expect(new Set(visible.map((row) => row.tenant_id))).toEqual(new Set(["acme"]));
      const [row] = await stack.sql`SELECT notify.unread_count('acme', 'limited') AS unread_count`;
      expect(row?.unread_count).toBe(1);
    } finally {
      await app.end();
    }
  });

  it("notifies with a tick id only, never tenants, recipients or content", async () => {
    const listener = stack.sql;
    const payloads: string[] = [];
    const subscription = await listener.listen("notify_bell_tick", (payload) =>
      payloads.push(payload),
    );
    await insert({ recipient: "payload-check", title: "SECRET TITLE", body: "SECRET BODY" });
    const deadline = Date.now() + 5_000;
    while (payloads.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await subscription.unlisten();
    expect(payloads.length).toBeGreaterThan(0);
    for (const payload of payloads) expect(payload).toMatch(/^[1-9]\d*$/);
  });
});
