import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SseClient } from "../../../../test/support/sse-client.ts";
import { type Stack, startStack } from "../../../../test/support/stack.ts";
import { createTenant, type TestTenant, userToken } from "../../../../test/support/tenants.ts";

let stack: Stack;
let acme: TestTenant;

beforeAll(async () => {
  stack = await startStack({ NOTIFY_RATE_LIMITS: "off" });
  acme = await createTenant(stack.server.url, "acme");
});
afterAll(() => stack?.stop());

const open = async (user: string, lastEventId?: string) => {
  const client = await SseClient.connect(stack.server.url, "/v1/stream", {
    token: await userToken(acme, user),
    lastEventId,
  });
  await client.waitFor((c) => c.lastEventId !== "", 5_000, "opening id");
  return client;
};

describe("a DELETE by SQL", () => {
  it("reaches every open stream of the recipient as a delete event with the new unread count", async () => {
    const tab1 = await open("olga");
    const tab2 = await open("olga");
    const [first] = await stack.sql<{ id: string }[]>`
      INSERT INTO notify.notifications (tenant_id, recipient, title)
      VALUES ('acme', 'olga', 'first'), ('acme', 'olga', 'second') RETURNING id::text`;
    await tab1.waitFor((c) => c.ofType("notification").length === 2, 5_000, "both rows");

    // A rolled-back delete tells no one.
    await stack.sql
      .begin(async (tx) => {
        await tx`DELETE FROM notify.notifications WHERE id = ${first?.id ?? ""}`;
        throw new Error("roll back");
      })
      .catch(() => {});
    await stack.sql`DELETE FROM notify.notifications WHERE id = ${first?.id ?? ""}`;

    for (const tab of [tab1, tab2]) {
      await tab.waitFor((c) => c.ofType("delete").length === 1, 5_000, "the delete");
      expect(tab.dataOf("delete")).toEqual([
        { id: first?.id, unreadCount: 1, unseenCount: 1, categoryCounts: [] },
      ]);
    }
    // And a client that was away when it happened hears of it on resume.
    const resumeFrom = tab1.ofType("notification")[1]?.lastEventId;
    const away = await open("olga", resumeFrom);
    await away.waitFor((c) => c.ofType("delete").length === 1, 5_000, "the delete on resume");
    expect(away.dataOf("delete")).toEqual([
      { id: first?.id, unreadCount: 1, unseenCount: 1, categoryCounts: [] },
    ]);
    expect(away.ofType("notification")).toEqual([]);
    for (const client of [tab1, tab2, away]) client.close();
  });
});
