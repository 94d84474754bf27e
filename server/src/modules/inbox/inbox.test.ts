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

async function seed(tenant: string, recipient: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const [row] = await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title)
      VALUES (${tenant}, ${recipient}, ${`n${i}`}) RETURNING id::text`;
    ids.push(row?.id);
  }
  return ids;
}

describe("inbox", () => {
  it("lists newest first with cursor pagination until nextCursor is null", async () => {
    const ids = await seed("acme", "pager", 7);
    const token = await userToken(acme, "pager");
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await api(
        stack.server.url,
        `/v1/notifications?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
        token,
      );
      expect(page.status).toBe(200);
      expect(page.body.unreadCount).toBe(7);
      seen.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it("filters unread, all and archived, and keeps the count from the server", async () => {
    const [a, b, c] = await seed("acme", "filters", 3);
    const token = await userToken(acme, "filters");
    expect(
      (await api(stack.server.url, "/v1/notifications/read", token, { body: { ids: [a] } })).body,
    ).toEqual({
      unreadCount: 2,
      unseenCount: 2,
      categoryCounts: [],
    });
    expect(
      (await api(stack.server.url, "/v1/notifications/archive", token, { body: { ids: [b] } }))
        .body,
    ).toEqual({
      unreadCount: 1,
      unseenCount: 1,
      categoryCounts: [],
    });
    const titles = async (filter: string) =>
      (await api(stack.server.url, `/v1/notifications?filter=${filter}`, token)).body.items.map(
        (item: { id: string }) => item.id,
      );
    expect(await titles("unread")).toEqual([c]);
    expect(await titles("all")).toEqual([c, a]);
    expect(await titles("archived")).toEqual([b]);
    expect((await api(stack.server.url, "/v1/notifications/unread-count", token)).body).toEqual({
      unreadCount: 1,
      unseenCount: 1,
      categoryCounts: [],
    });
    expect(
      (await api(stack.server.url, "/v1/notifications/unread", token, { body: { ids: [a] } })).body,
    ).toEqual({
      // Read, then unread again: it stays seen.
      unreadCount: 2,
      unseenCount: 1,
      categoryCounts: [],
    });
  });

  it("is idempotent: marking twice changes nothing the second time", async () => {
    const [a] = await seed("acme", "twice", 1);
    const token = await userToken(acme, "twice");
    const [before] =
      await stack.sql`SELECT txid::text FROM notify.notifications WHERE id = ${a as string}`;
    await api(stack.server.url, "/v1/notifications/read", token, { body: { ids: [a, a] } });
    const [once] =
      await stack.sql`SELECT txid::text, read_at FROM notify.notifications WHERE id = ${a as string}`;
    const again = await api(stack.server.url, "/v1/notifications/read", token, {
      body: { ids: [Number(a)] },
    });
    const [twice] =
      await stack.sql`SELECT txid::text, read_at FROM notify.notifications WHERE id = ${a as string}`;
    expect(again.body).toEqual({ unreadCount: 0, unseenCount: 0, categoryCounts: [] });
    expect(once?.txid).not.toBe(before?.txid);
    expect(twice).toEqual(once);
  });

  it("marks all read only up to the id the user has seen", async () => {
    const [, second, third] = await seed("acme", "bulk", 3);
    const token = await userToken(acme, "bulk");
    const response = await api(stack.server.url, "/v1/notifications/read-all", token, {
      body: { upTo: second },
    });
    expect(response.body).toEqual({ unreadCount: 1, unseenCount: 1, categoryCounts: [] });
    const unread = await api(stack.server.url, "/v1/notifications?filter=unread", token);
    expect(unread.body.items.map((item: { id: string }) => item.id)).toEqual([third]);
    expect(
      (await api(stack.server.url, "/v1/notifications/read-all", token, { body: {} })).body,
    ).toEqual({
      unreadCount: 0,
      unseenCount: 0,
      categoryCounts: [],
    });
    // No body at all is the same as an empty one.
    expect(
      (await api(stack.server.url, "/v1/notifications/read-all", token, { method: "POST" })).status,
    ).toBe(200);
  });

  it("answers 404 for ids that are not the user's, and changes nothing", async () => {
    const [mine] = await seed("acme", "owner", 1);
    const [otherUsers] = await seed("acme", "someone-else", 1);
    const [otherTenants] = await seed("globex", "owner", 1);
    const token = await userToken(acme, "owner");
    for (const path of [
      "/v1/notifications/read",
      "/v1/notifications/unread",
      "/v1/notifications/archive",
    ]) {
      for (const foreign of [otherUsers, otherTenants, "999999999"]) {
        const response = await api(stack.server.url, path, token, {
          body: { ids: [mine, foreign] },
        });
        expect(response.status, `${path} ${foreign}`).toBe(404);
        expect(response.body.error.code).toBe("not_found");
      }
    }
    const rows = await stack.sql`SELECT read_at, archived_at FROM notify.notifications
      WHERE id IN (${mine as string}, ${otherUsers as string}, ${otherTenants as string})`;
    expect(rows.every((row) => row.read_at === null && row.archived_at === null)).toBe(true);
    // Same recipient name in another tenant: invisible.
    const list = await api(stack.server.url, "/v1/notifications", token);
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([mine]);
    const globexList = await api(
      stack.server.url,
      "/v1/notifications",
      await userToken(globex, "owner"),
    );
    expect(globexList.body.items.map((item: { id: string }) => item.id)).toEqual([otherTenants]);
  });

  it("refuses bad input with 400 and the JSON error shape", async () => {
    const token = await userToken(acme, "bad-input");
    const cases: [string, unknown][] = [
      ["/v1/notifications?filter=weird", undefined],
      ["/v1/notifications?limit=0", undefined],
      ["/v1/notifications?limit=1000", undefined],
      ["/v1/notifications?cursor=abc", undefined],
      ["/v1/notifications?cursor=-5", undefined],
      ["/v1/notifications/read", { ids: [] }],
      ["/v1/notifications/read", { ids: ["abc"] }],
      ["/v1/notifications/read", { ids: [-1] }],
      ["/v1/notifications/read", {}],
      ["/v1/notifications/read", { ids: Array.from({ length: 501 }, (_, i) => i + 1) }],
      ["/v1/notifications/read-all", { upTo: "x" }],
    ];
    for (const [path, body] of cases) {
      const response = await api(stack.server.url, path, token, { body });
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(response.body.error.code).toBe("invalid_request");
    }
    const malformed = await fetch(new URL("/v1/notifications/read", stack.server.url), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: '{"ids": [1,',
    });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe("invalid_json");
  });
});
