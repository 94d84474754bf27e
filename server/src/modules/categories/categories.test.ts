import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../../../test/support/database.ts";
import { ADMIN_TOKEN } from "../../../../test/support/server-process.ts";
import { SseClient } from "../../../../test/support/sse-client.ts";
import { type Stack, startStack } from "../../../../test/support/stack.ts";
import { api, createTenant, type TestTenant, userToken } from "../../../../test/support/tenants.ts";

/**
 * Categories (issue #14), end to end against the real server and Postgres: declared through
 * the admin API or SQL, read by users, required of every notification (a 400 from the publish
 * API, a refusal from the database), counted per category in every count answer and stream
 * event, a list filter and "mark all read" per category. Hostile and oversized input is
 * refused; no tenant sees another's categories.
 */

let stack: Stack;
let acme: TestTenant;
let globex: TestTenant;

beforeAll(async () => {
  stack = await startStack({ NOTIFY_RATE_LIMITS: "off" });
  acme = await createTenant(stack.server.url, "acme");
  globex = await createTenant(stack.server.url, "globex");
});
afterAll(async () => {
  await stack?.stop();
});

const admin = (path: string, init: { method?: string; body?: unknown } = {}) =>
  api(stack.server.url, path, ADMIN_TOKEN, init);
const declare = (tenant: string, key: string, body: unknown) =>
  admin(`/v1/admin/tenants/${tenant}/categories/${encodeURIComponent(key)}`, {
    method: "PUT",
    body,
  });
const as = async (user: string, tenant: TestTenant = acme) => {
  const token = await userToken(tenant, user);
  return (path: string, body?: unknown) => api(stack.server.url, path, token, { body });
};
const insert = async (recipient: string, category: string | null, title = "Hi") => {
  const [row] = await stack.sql`INSERT INTO notify.notifications ${stack.sql({
    tenant_id: "acme",
    recipient,
    title,
    category,
  })} RETURNING id::text`;
  return row?.id as string;
};
const open = async (user: string, lastEventId?: string) => {
  const client = await SseClient.connect(stack.server.url, "/v1/stream", {
    token: await userToken(acme, user),
    lastEventId,
  });
  await client.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
  return client;
};

describe("categories", () => {
  it("are declared, changed, listed in tab order and removed through the admin API", async () => {
    const put = await declare("acme", "comments", {
      labels: { en: "Comments", ko: "댓글" },
      position: 10,
    });
    expect(put).toMatchObject({
      status: 200,
      body: {
        key: "comments",
        labels: { en: "Comments", ko: "댓글" },
        position: 10,
        mutable: true,
      },
    });
    await declare("acme", "security", { labels: { en: "Security" }, position: 0, mutable: false });
    await declare("acme", "billing", { labels: { en: "Billing" }, position: 10 });
    const changed = await declare("acme", "comments", { labels: { en: "Replies" }, position: 10 });
    expect(changed.body).toEqual({
      key: "comments",
      labels: { en: "Replies" },
      position: 10,
      mutable: true,
    });

    const listed = await admin("/v1/admin/tenants/acme/categories");
    expect(listed.body.categories.map((c: { key: string }) => c.key)).toEqual([
      "security",
      "billing",
      "comments",
    ]);
    const user = await as("ulla");
    expect((await user("/v1/categories")).body).toEqual(listed.body);

    await declare("acme", "gone", { labels: { en: "Gone" } });
    expect(
      (await admin("/v1/admin/tenants/acme/categories/gone", { method: "DELETE" })).status,
    ).toBe(204);
    expect(
      (await admin("/v1/admin/tenants/acme/categories/gone", { method: "DELETE" })).status,
    ).toBe(404);
    expect((await declare("nobody", "x", { labels: { en: "X" } })).status).toBe(404);
    expect((await admin("/v1/admin/tenants/nobody/categories")).status).toBe(404);
  });

  it("must be declared: the publish API answers 400, the database refuses the row", async () => {
    const publish = (category: string) =>
      api(stack.server.url, "/v1/notifications", acme.apiKey, {
        body: { recipients: ["pia"], title: "Hi", category },
      });
    await declare("acme", "deploys", { labels: { en: "Deploys" } });
    expect((await publish("deploys")).status).toBe(201);
    const unknown = await publish("nope");
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toEqual({
      code: "invalid_request",
      message: 'category "nope" is not one the tenant declared',
    });
    // Another tenant's category is not this tenant's.
    await declare("globex", "globex-only", { labels: { en: "G" } });
    expect((await publish("globex-only")).status).toBe(400);
    await expect(insert("pia", "nope")).rejects.toMatchObject({
      constraint_name: "notifications_category_declared",
    });
    await expect(insert("pia", "globex-only")).rejects.toMatchObject({
      constraint_name: "notifications_category_declared",
    });
    expect(
      (
        await stack.sql`SELECT count(*)::int AS n FROM notify.notifications WHERE recipient = 'pia'`
      )[0],
    ).toEqual({ n: 1 });
  });

  it("cannot be deleted while notifications have them", async () => {
    await declare("acme", "kept", { labels: { en: "Kept" } });
    const id = await insert("kim", "kept");
    const refused = await admin("/v1/admin/tenants/acme/categories/kept", { method: "DELETE" });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("conflict");
    await stack.sql`DELETE FROM notify.notifications WHERE id = ${id}`;
    expect(
      (await admin("/v1/admin/tenants/acme/categories/kept", { method: "DELETE" })).status,
    ).toBe(204);
  });

  it("go with their tenant, notifications, preferences and all", async () => {
    const doomed = await createTenant(stack.server.url, "doomed");
    await declare(doomed.id, "news", { labels: { en: "News" } });
    await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title, category)
      VALUES ('doomed', 'dee', 'hi', 'news')`;
    const dee = await userToken(doomed, "dee");
    const muted = await api(stack.server.url, "/v1/preferences", dee, {
      method: "PUT",
      body: { preferences: [{ category: "news", inInbox: false, asToast: true }] },
    });
    expect(muted.status).toBe(200);
    expect((await admin("/v1/admin/tenants/doomed", { method: "DELETE" })).status).toBe(204);
    const left = await stack.sql`
      SELECT (SELECT count(*) FROM notify.categories WHERE tenant_id = 'doomed')::int AS categories,
             (SELECT count(*) FROM notify.preferences WHERE tenant_id = 'doomed')::int AS preferences,
             (SELECT count(*) FROM notify.notifications WHERE tenant_id = 'doomed')::int AS notifications`;
    expect(left).toEqual([{ categories: 0, preferences: 0, notifications: 0 }]);
  });

  it("refuses hostile keys and labels, and oversized ones, and keeps odd keys as text", async () => {
    const bad = [
      { key: "x".repeat(101), body: { labels: { en: "X" } } },
      { key: "nul\0", body: { labels: { en: "X" } } },
      { key: "ok", body: { labels: {} } },
      { key: "ok", body: { labels: { en: "x".repeat(101) } } },
      { key: "ok", body: { labels: { en: "" } } },
      { key: "ok", body: { labels: { en: "line\nbreak" } } },
      { key: "ok", body: { labels: { en_US: "X" } } },
      { key: "ok", body: { labels: { "<script>": "X" } } },
      { key: "ok", body: { labels: { en: 1 } } },
      {
        key: "ok",
        body: {
          labels: Object.fromEntries(
            Array.from({ length: 21 }, (_, i) => [`l${String.fromCharCode(97 + i)}`, "X"]),
          ),
        },
      },
      { key: "ok", body: { labels: { en: "X" }, position: -1 } },
      { key: "ok", body: { labels: { en: "X" }, position: 10_001 } },
      { key: "ok", body: { labels: { en: "X" }, extra: true } },
    ];
    for (const { key, body } of bad) {
      const answer = await declare("globex", key, body);
      expect({ key, body, status: answer.status, code: answer.body?.error?.code }).toEqual({
        key,
        body,
        status: 400,
        code: "invalid_request",
      });
    }
    // Keys are any text: shown as text, carried as JSON strings, never executed or parsed.
    for (const key of ["<img src=x onerror=alert(1)>", "__proto__", "a/b?c#d", "댓글 💬"]) {
      const answer = await declare("globex", key, { labels: { en: key.slice(0, 20) } });
      expect(answer.status).toBe(200);
      expect(answer.body.key).toBe(key);
    }
    // The database refuses what the API does.
    await expect(
      stack.sql`INSERT INTO notify.categories (tenant_id, key, labels)
        VALUES ('globex', 'sql', '{"en": "line\\u000abreak"}')`,
    ).rejects.toMatchObject({ constraint_name: "categories_labels" });
    await expect(
      stack.sql`INSERT INTO notify.categories (tenant_id, key, labels) VALUES ('globex', 'sql', '[]')`,
    ).rejects.toMatchObject({ constraint_name: "categories_labels" });
  });

  it("are at most 50 per tenant", async () => {
    const tenant = await createTenant(stack.server.url, "many");
    for (let i = 0; i < 50; i++) {
      expect((await declare(tenant.id, `c${i}`, { labels: { en: `C${i}` } })).status).toBe(200);
    }
    const over = await declare(tenant.id, "c50", { labels: { en: "C50" } });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe("conflict");
    // Changing one of the 50 is fine.
    expect((await declare(tenant.id, "c0", { labels: { en: "Zero" } })).status).toBe(200);
  });

  it("are counted per category, live in every event, and filter lists and mark-all-read", async () => {
    await declare("acme", "comments", { labels: { en: "Comments" } });
    await declare("acme", "billing", { labels: { en: "Billing" } });
    const cara = await as("cara");
    const tab1 = await open("cara");
    const tab2 = await open("cara");
    const c1 = await insert("cara", "comments", "c1");
    const c2 = await insert("cara", "comments", "c2");
    const b1 = await insert("cara", "billing", "b1");
    await insert("cara", null, "plain");
    const counts = {
      unreadCount: 4,
      unseenCount: 4,
      categoryCounts: [
        { category: "billing", unreadCount: 1, unseenCount: 1 },
        { category: "comments", unreadCount: 2, unseenCount: 2 },
      ],
    };
    for (const tab of [tab1, tab2]) {
      await tab.waitFor((c) => c.ofType("notification").length === 4, 5_000, "four notifications");
      expect(tab.dataOf("notification").at(-1)).toMatchObject(counts);
    }
    expect((await cara("/v1/notifications/unread-count")).body).toEqual(counts);

    const comments = await cara("/v1/notifications?category=comments");
    expect(comments.body.items.map((i: { id: string }) => i.id)).toEqual([c2, c1]);
    expect(comments.body).toMatchObject(counts);
    expect((await cara("/v1/notifications?category=nothing")).body.items).toEqual([]);

    // A read in one category changes that category's count, in every tab.
    const seen = await cara("/v1/notifications/seen", { ids: [c1] });
    expect(seen.body.categoryCounts).toEqual([
      { category: "billing", unreadCount: 1, unseenCount: 1 },
      { category: "comments", unreadCount: 2, unseenCount: 1 },
    ]);
    const allRead = await cara("/v1/notifications/read-all", { category: "comments" });
    expect(allRead.body).toEqual({
      unreadCount: 2,
      unseenCount: 2,
      categoryCounts: [{ category: "billing", unreadCount: 1, unseenCount: 1 }],
    });
    for (const tab of [tab1, tab2]) {
      // Changes read together are sent once, with the counts at the time: wait for the last.
      await tab.waitFor(
        (c) => c.dataOf<{ unreadCount: number }>("update").at(-1)?.unreadCount === 2,
        5_000,
        "the reads",
      );
      expect(tab.dataOf("update").at(-1)).toMatchObject(allRead.body);
    }
    // A snoozed one leaves its category's count until it comes back, in every tab.
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const snoozed = await cara(`/v1/notifications/${b1}/snooze`, { until });
    expect(snoozed.body).toEqual({ unreadCount: 1, unseenCount: 1, categoryCounts: [] });
    for (const tab of [tab1, tab2]) {
      await tab.waitFor(
        (c) => c.dataOf<{ unreadCount: number }>("update").at(-1)?.unreadCount === 1,
        5_000,
        "the snooze",
      );
      expect(tab.dataOf("update").at(-1)).toMatchObject(snoozed.body);
    }
    const unsnoozed = await api(
      stack.server.url,
      `/v1/notifications/${b1}/snooze`,
      await userToken(acme, "cara"),
      { method: "DELETE" },
    );
    expect(unsnoozed.body.categoryCounts).toEqual([
      { category: "billing", unreadCount: 1, unseenCount: 1 },
    ]);
    // An archived one leaves its category's count; the other category is untouched.
    const archived = await cara("/v1/notifications/archive", { ids: [b1] });
    expect(archived.body).toEqual({ unreadCount: 1, unseenCount: 1, categoryCounts: [] });
    for (const tab of [tab1, tab2]) tab.close();
  });

  it("count a group of unread items once in its category, as in the totals", async () => {
    await declare("acme", "comments", { labels: { en: "Comments" } });
    for (const title of ["Ana commented", "Bo commented"]) {
      await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title, category, group_key)
        VALUES ('acme', 'gil', ${title}, 'comments', 'q3')`;
    }
    await insert("gil", "comments", "alone");
    expect((await (await as("gil"))("/v1/notifications/unread-count")).body).toEqual({
      unreadCount: 2,
      unseenCount: 2,
      categoryCounts: [{ category: "comments", unreadCount: 2, unseenCount: 2 }],
    });
  });

  it("are a tenant's own: no user, server read or database role sees another tenant's", async () => {
    await declare("globex", "secret-plans", { labels: { en: "Secret" } });
    const acmeUser = await as("ida");
    const keys = (await acmeUser("/v1/categories")).body.categories.map(
      (c: { key: string }) => c.key,
    );
    expect(keys).not.toContain("secret-plans");
    expect(keys.length).toBeGreaterThan(0);

    const role = await admin("/v1/admin/tenants/acme/database-roles", { method: "POST" });
    const url = new URL(stack.databaseUrl);
    url.username = role.body.role;
    url.password = role.body.password;
    const acmeApp = connect(url.toString(), 1);
    try {
      const seen = await acmeApp`SELECT DISTINCT tenant_id FROM notify.categories`;
      expect(seen).toEqual([{ tenant_id: "acme" }]);
      // A tenant app declares its own categories in SQL, and uses them.
      await acmeApp`INSERT INTO notify.categories (tenant_id, key, labels)
        VALUES ('acme', 'from-sql', '{"en": "From SQL"}')`;
      await acmeApp`INSERT INTO notify.notifications (tenant_id, recipient, title, category)
        VALUES ('acme', 'ida', 'hi', 'from-sql')`;
      await expect(
        acmeApp`INSERT INTO notify.categories (tenant_id, key, labels)
          VALUES ('globex', 'planted', '{"en": "X"}')`,
      ).rejects.toThrow(/row-level security/);
      await expect(
        acmeApp`UPDATE notify.categories SET key = 'renamed' WHERE key = 'from-sql'`,
      ).rejects.toThrow(/permission denied/);
      await expect(acmeApp`DELETE FROM notify.categories WHERE key = 'from-sql'`).rejects.toThrow(
        /permission denied/,
      );
      const changed = await acmeApp`UPDATE notify.categories SET labels = '{"en": "Mine"}'
        WHERE key = 'secret-plans' RETURNING 1`;
      expect(changed).toEqual([]);
    } finally {
      await acmeApp.end({ timeout: 1 });
    }
    const [globexRow] = await stack.sql`SELECT labels FROM notify.categories
      WHERE tenant_id = 'globex' AND key = 'secret-plans'`;
    expect(globexRow?.labels).toEqual({ en: "Secret" });
    void globex;
  });
});
