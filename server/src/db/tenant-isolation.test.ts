import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../../test/support/stack.ts";
import { api, createTenant, type TestTenant, userToken } from "../../../test/support/tenants.ts";
import { APP_ROLE } from "./client.ts";

/**
 * Tenant isolation, in the database (row-level security) and through the API (thousands of
 * random requests, some with forged tokens): nobody ever sees or changes another's rows.
 */
let stack: Stack;
const tenants: TestTenant[] = [];
const USERS = ["u1", "u2", "u3", "u4"];
/** Each row's owner, by id. */
const owners = new Map<string, { tenant: string; user: string }>();

beforeAll(async () => {
  stack = await startStack({ NOTIFY_RATE_LIMITS: "off" });
  for (const id of ["t-a", "t-b", "t-c"]) tenants.push(await createTenant(stack.server.url, id));
  for (const tenant of tenants) {
    for (const user of USERS) {
      const rows = await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title)
        SELECT ${tenant.id}, ${user}, 'n' || i FROM generate_series(1, 5) AS i RETURNING id::text`;
      for (const row of rows) owners.set(row.id, { tenant: tenant.id, user });
    }
  }
});
afterAll(() => stack?.stop());

describe("row-level security", () => {
  it("shows the request role nothing without a tenant, and only that tenant's rows with one", async () => {
    const app = postgres(stack.databaseUrl, {
      max: 1,
      connection: { options: `-c role=${APP_ROLE}` },
    });
    try {
      const [none] = await app`SELECT count(*)::int AS n FROM notify.notifications`;
      expect(none?.n).toBe(0);
      const [counts] = (
        await app.begin((tx) => [
          tx`SELECT set_config('notify.tenant', 't-a', true)`,
          tx`SELECT count(*)::int AS n, count(DISTINCT tenant_id)::int AS tenants FROM notify.notifications`,
        ])
      )[1] as unknown as [{ n: number; tenants: number }];
      expect(counts).toEqual({ n: 20, tenants: 1 });
      await expect(
        app.begin(async (tx) => {
          await tx`SELECT set_config('notify.tenant', 't-a', true)`;
          await tx`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('t-b', 'u1', 'x')`;
        }),
      ).rejects.toThrow("row-level security");
      // Tenants (and their signing secrets) are not the request role's to read at all.
      await expect(app`SELECT 1 FROM notify.tenants`).rejects.toThrow("permission denied");
    } finally {
      await app.end();
    }
  });
});

describe("the API under random requests and forged tokens", () => {
  it("never returns or changes another tenant's or user's rows", async () => {
    let seed = 20261124;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pick = <T>(items: readonly T[]) => items[random(items.length)] as T;
    const allIds = [...owners.keys()];
    const touchedByOwner = new Set<string>();
    let forgedRefused = 0;
    let checkedItems = 0;

    for (let i = 0; i < 2_000; i++) {
      const tenant = pick(tenants);
      const user = pick(USERS);
      const forge = random(10) === 0;
      // A forged token: claims one tenant, signed with another's secret.
      const other = pick(tenants.filter((t) => t.id !== tenant.id));
      const token = await userToken(
        forge ? { id: tenant.id, signingSecret: other.signingSecret } : tenant,
        user,
      );
      const mine = (id: string) =>
        owners.get(id)?.tenant === tenant.id && owners.get(id)?.user === user;
      const action = random(5);
      let response: Awaited<ReturnType<typeof api>>;
      if (action === 0) {
        response = await api(
          stack.server.url,
          `/v1/notifications?filter=${pick(["all", "unread", "archived"])}`,
          token,
        );
        if (!forge) {
          for (const item of response.body.items as { id: string }[]) {
            expect(mine(item.id), `item ${item.id} listed for ${tenant.id}/${user}`).toBe(true);
            checkedItems++;
          }
        }
      } else if (action === 1) {
        response = await api(stack.server.url, "/v1/notifications/unread-count", token);
        if (!forge) expect(response.body.unreadCount).toBeLessThanOrEqual(5);
      } else {
        const id = pick(allIds);
        const path = pick([
          "/v1/notifications/read",
          "/v1/notifications/unread",
          "/v1/notifications/archive",
        ]);
        response = await api(stack.server.url, path, token, { body: { ids: [id] } });
        if (!forge) {
          expect(response.status, `${path} ${id} by ${tenant.id}/${user}`).toBe(
            mine(id) ? 200 : 404,
          );
          if (mine(id)) touchedByOwner.add(id);
        }
      }
      if (forge) {
        expect(response.status).toBe(401);
        forgedRefused++;
      }
    }

    expect(forgedRefused).toBeGreaterThan(100);
    expect(checkedItems).toBeGreaterThan(500);
    const changed = await stack.sql`SELECT id::text FROM notify.notifications
      WHERE read_at IS NOT NULL OR archived_at IS NOT NULL`;
    for (const row of changed)
      expect(touchedByOwner.has(row.id), `row ${row.id} changed by someone else`).toBe(true);
  });
});
