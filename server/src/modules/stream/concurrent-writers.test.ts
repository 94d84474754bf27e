import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../../../test/support/database.ts";
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

const WRITERS = 8;
const TRANSACTIONS = 12;
const ROWS = 20;
const MEMBERS = 24;

/** A random permutation of the team, as an `INSERT … SELECT` from a join yields it. */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe("concurrent tenant writers", () => {
  it("commit 20-row transactions in any recipient order without deadlocks; every row reaches its stream once, in each writer's order", async () => {
    const members = Array.from({ length: MEMBERS }, (_, i) => `member${i}`);
    const streams = new Map<string, SseClient>();
    for (const member of members) {
      const client = await SseClient.connect(stack.server.url, "/v1/stream", {
        token: await userToken(acme, member),
      });
      await client.waitFor((c) => c.lastEventId !== "", 10_000, `${member} opening id`);
      streams.set(member, client);
    }

    // Each writer is a tenant app with its own connection, naming recipients in whatever
    // order it likes; titles say who wrote what, in which of its transactions.
    const failures: string[] = [];
    const written = new Map<string, number>();
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        const sql = connect(stack.databaseUrl, 1);
        try {
          for (let n = 0; n < TRANSACTIONS; n++) {
            const recipients = shuffled(members).slice(0, ROWS);
            try {
              await sql.begin(
                (tx) => tx`INSERT INTO notify.notifications (tenant_id, recipient, title)
                  SELECT 'acme', r, ${`w${writer}:${n}`}
                  FROM jsonb_array_elements_text(${JSON.stringify(recipients)}::text::jsonb)
                    WITH ORDINALITY AS m(r, o) ORDER BY o`,
              );
              for (const r of recipients) written.set(r, (written.get(r) ?? 0) + 1);
            } catch (error) {
              failures.push((error as Error).message);
            }
          }
        } finally {
          await sql.end({ timeout: 1 });
        }
      }),
    );
    expect(failures).toEqual([]);

    for (const [member, client] of streams) {
      const expected = written.get(member) ?? 0;
      await client.waitFor(
        (c) => c.ofType("notification").length >= expected,
        30_000,
        `${member}'s ${expected} rows`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const [member, client] of streams) {
      const titles = client.dataOf<{ title: string }>("notification").map((n) => n.title);
      expect(titles.length, member).toBe(written.get(member) ?? 0);
      expect(new Set(titles).size, `${member} got a row twice`).toBe(titles.length);
      // A writer commits its transactions one after another: each recipient sees them in
      // that order.
      for (let writer = 0; writer < WRITERS; writer++) {
        const mine = titles
          .filter((t) => t.startsWith(`w${writer}:`))
          .map((t) => Number(t.split(":")[1]));
        expect(mine, `${member}, writer ${writer}`).toEqual([...mine].sort((a, b) => a - b));
      }
      client.close();
    }
  });
});
