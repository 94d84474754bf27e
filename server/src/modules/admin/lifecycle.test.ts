import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  connect,
  createDatabase as createTestDatabase,
} from "../../../../test/support/database.ts";
import {
  ADMIN_TOKEN,
  type ServerProcess,
  startServer,
} from "../../../../test/support/server-process.ts";
import { SseClient } from "../../../../test/support/sse-client.ts";
import { type Stack, startStack } from "../../../../test/support/stack.ts";
import { TEST_TENANT_ROLE_LIMITS } from "../../../../test/support/tenant-role-limits.ts";
import { api, createTenant, type TestTenant, userToken } from "../../../../test/support/tenants.ts";
import { createDatabase } from "../../db/client.ts";
import { runMigrations } from "../../db/migrate.ts";
import { ensureOwnerRole } from "../../db/owner-role.ts";
import { deleteTenant, setDisabled } from "./lifecycle.ts";
import { createDatabaseRole } from "./service.ts";

let stack: Stack;
/** A second instance on the same database: revocation must reach its streams too. */
let other: ServerProcess;

beforeAll(async () => {
  stack = await startStack();
  other = await startServer({ DATABASE_URL: stack.databaseUrl });
});
afterAll(async () => {
  await other?.stop("SIGKILL");
  await stack?.stop();
});

const admin = (path: string, init: { method?: string; body?: unknown } = {}) =>
  api(stack.server.url, `/v1/admin/tenants/${path}`, ADMIN_TOKEN, {
    method: init.method ?? "POST",
    body: init.body,
  });

const unreadCount = (baseUrl: string, token: string) =>
  api(baseUrl, "/v1/notifications/unread-count", token);

/** Polls `condition` until it holds (a deadline, not a benchmark). */
async function eventually(condition: () => Promise<boolean>, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition did not hold in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Opens a stream on each instance and waits for both to be live. */
async function streamsOnBoth(token: string): Promise<SseClient[]> {
  // The other instance learns of a tenant created a moment ago from a throttled reload.
  await eventually(async () => (await unreadCount(other.url, token)).status === 200);
  const clients = [
    await SseClient.connect(stack.server.url, "/v1/stream", { token }),
    await SseClient.connect(other.url, "/v1/stream", { token }),
  ];
  for (const client of clients) {
    expect(client.response.status).toBe(200);
    await client.waitFor((c) => c.retry !== undefined, 5_000, "the opening lines");
  }
  return clients;
}

/** Each stream ends with a final close event naming `reason`. */
async function expectClosed(clients: SseClient[], reason: string) {
  for (const client of clients) {
    await client.waitFor((c) => c.ofType("close").length > 0, 5_000, `close ${reason}`);
    expect(client.dataOf("close")).toEqual([{ reason, retry: false }]);
    await client.ended;
  }
}

describe("rotating a tenant's signing secret", () => {
  let tenant: TestTenant;
  beforeAll(async () => {
    tenant = await createTenant(stack.server.url, "rotates");
  });

  it("accepts tokens signed with either secret during the overlap, and keeps their streams", async () => {
    const oldToken = await userToken(tenant, "ann");
    const streams = await streamsOnBoth(oldToken);
    const rotated = await admin("rotates/signing-secret", { body: { overlapSeconds: 3600 } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.signingSecret).not.toBe(tenant.signingSecret);
    expect(Date.parse(rotated.body.previousSecretValidUntil)).toBeGreaterThan(Date.now());
    const newToken = await userToken(
      { ...tenant, signingSecret: rotated.body.signingSecret },
      "ann",
    );
    // The other instance learns of the new secret from the database's notification.
    await eventually(async () => (await unreadCount(other.url, newToken)).status === 200);
    for (const url of [stack.server.url, other.url]) {
      expect((await unreadCount(url, oldToken)).status).toBe(200);
      expect((await unreadCount(url, newToken)).status).toBe(200);
    }
    expect(streams.every((client) => !client.isEnded)).toBe(true);
    for (const client of streams) client.close();
    tenant.signingSecret = rotated.body.signingSecret;
  });

  it("ends the streams of a retired secret on every instance, and refuses its tokens", async () => {
    const oldToken = await userToken(tenant, "bob");
    const streams = await streamsOnBoth(oldToken);
    const rotated = await admin("rotates/signing-secret", { body: { overlapSeconds: 0 } });
    expect(rotated.body.previousSecretValidUntil).toBeNull();
    await expectClosed(streams, "token_revoked");
    for (const url of [stack.server.url, other.url]) {
      expect((await unreadCount(url, oldToken)).body.error.code).toBe("invalid_token");
    }
    tenant.signingSecret = rotated.body.signingSecret;
  });

  it("ends the streams of the replaced secret when its overlap ends", async () => {
    const oldToken = await userToken(tenant, "cy");
    const streams = await streamsOnBoth(oldToken);
    const rotated = await admin("rotates/signing-secret", { body: { overlapSeconds: 1 } });
    expect(rotated.status).toBe(200);
    await expectClosed(streams, "token_revoked");
    expect((await unreadCount(stack.server.url, oldToken)).status).toBe(401);
  });

  it("accepts a token signed with a secret rotated a moment ago, on an instance that has not reloaded yet", async () => {
    const quick = await createTenant(stack.server.url, "rotates-twice");
    await streamsOnBoth(await userToken(quick, "fay")).then((clients) => {
      for (const client of clients) client.close();
    });
    // Two rotations in a row: the second instance reloads at once for the first, and at most
    // once a second after that (forged wake-ups must stay cheap), so it is a secret behind.
    await admin("rotates-twice/signing-secret", { body: { overlapSeconds: 0 } });
    const second = await admin("rotates-twice/signing-secret", { body: { overlapSeconds: 0 } });
    const fresh = await userToken({ ...quick, signingSecret: second.body.signingSecret }, "fay");
    expect((await unreadCount(other.url, fresh)).status).toBe(200);
  });

  it("refuses a bad overlap and an unknown tenant", async () => {
    const tooLong = await admin("rotates/signing-secret", { body: { overlapSeconds: 8 * 86400 } });
    expect(tooLong.status).toBe(400);
    const nobody = await admin("nobody/signing-secret", { body: {} });
    expect(nobody.status).toBe(404);
  });
});

describe("rotating a tenant's API key", () => {
  const publish = (key: string) =>
    api(stack.server.url, "/v1/notifications", key, { body: { recipients: ["u"], title: "t" } });

  it("accepts the old key during the overlap only", async () => {
    const tenant = await createTenant(stack.server.url, "rekeys");
    const first = await admin("rekeys/api-key", { body: { overlapSeconds: 3600 } });
    expect(first.body.apiKey).toMatch(/^nbk_/);
    expect((await publish(tenant.apiKey)).status).toBe(201);
    expect((await publish(first.body.apiKey)).status).toBe(201);
    const second = await admin("rekeys/api-key", { body: { overlapSeconds: 0 } });
    expect((await publish(first.body.apiKey)).status).toBe(401);
    expect((await publish(tenant.apiKey)).status).toBe(401);
    expect((await publish(second.body.apiKey)).status).toBe(201);
  });
});

describe("disabling a tenant", () => {
  it("ends its streams, refuses its tokens and API key, and enabling restores them", async () => {
    const tenant = await createTenant(stack.server.url, "pauses");
    const token = await userToken(tenant, "dee");
    const streams = await streamsOnBoth(token);
    expect((await admin("pauses/disable")).body).toEqual({ id: "pauses", disabled: true });
    await expectClosed(streams, "tenant_disabled");
    expect((await unreadCount(other.url, token)).status).toBe(401);
    const refused = await api(stack.server.url, "/v1/notifications", tenant.apiKey, {
      body: { recipients: ["dee"], title: "t" },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("tenant_disabled");

    expect((await admin("pauses/enable")).body).toEqual({ id: "pauses", disabled: false });
    expect((await unreadCount(stack.server.url, token)).status).toBe(200);
    const again = await SseClient.connect(stack.server.url, "/v1/stream", { token });
    await again.waitFor((c) => c.retry !== undefined, 5_000, "the opening lines");
    expect(again.isEnded).toBe(false);
    again.close();
  });

  it("keeps its database roles from logging in until it is enabled", async () => {
    await createTenant(stack.server.url, "paused-db");
    const role = await admin("paused-db/database-roles");
    const url = new URL(stack.databaseUrl);
    url.username = role.body.role;
    url.password = role.body.password;
    const held = connect(url.toString(), 1);
    await held`INSERT INTO notify.notifications (tenant_id, recipient, title) VALUES ('paused-db', 'u', 'before')`;
    await admin("paused-db/disable");
    // The session it already held is ended too: its next statement cannot run.
    await expect(held`SELECT 1`).rejects.toThrow();
    await held.end({ timeout: 1 });
    const refused = connect(url.toString(), 1);
    await expect(refused`SELECT 1`).rejects.toThrow(/not permitted to log in/);
    await refused.end();
    await admin("paused-db/enable");
    const allowed = connect(url.toString(), 1);
    await expect(allowed`SELECT 1 AS one`).resolves.toEqual([{ one: 1 }]);
    await allowed.end();
  });
});

describe("deleting a tenant", () => {
  it("ends its streams, erases its data and roles, and retires its id for good", async () => {
    const tenant = await createTenant(stack.server.url, "leaves");
    const role = await admin("leaves/database-roles");
    const token = await userToken(tenant, "eve");
    await api(stack.server.url, "/v1/notifications", tenant.apiKey, {
      body: { recipients: ["eve"], title: "bye" },
    });
    const streams = await streamsOnBoth(token);

    const deleted = await admin("leaves", { method: "DELETE" });
    expect(deleted.status).toBe(204);
    await expectClosed(streams, "tenant_deleted");

    const left = await stack.sql`
      SELECT (SELECT count(*) FROM notify.notifications WHERE tenant_id = 'leaves')::int AS rows,
             (SELECT count(*) FROM notify.tombstones WHERE tenant_id = 'leaves')::int AS tombstones,
             (SELECT count(*) FROM pg_roles WHERE rolname = ${role.body.role})::int AS roles`;
    expect(left[0]).toEqual({ rows: 0, tombstones: 0, roles: 0 });

    const reused = await api(stack.server.url, "/v1/admin/tenants", ADMIN_TOKEN, {
      body: { id: "leaves", name: "Someone else", allowedOrigins: [] },
    });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe("conflict");
    expect((await unreadCount(other.url, token)).status).toBe(401);
    expect((await admin("leaves", { method: "DELETE" })).status).toBe(404);
  });
});

describe("with an owner that is no superuser (the embedded setup)", () => {
  it("ends the sessions of a disabled tenant's roles, and drops a deleted tenant's", async () => {
    const superuserUrl = await createTestDatabase(inject("postgresUrl"));
    await runMigrations(superuserUrl);
    // The same password as the owner role's own tests: the role is cluster-wide.
    const ownerUrl = await ensureOwnerRole(superuserUrl, "owner-test-password");
    const owner = createDatabase(ownerUrl, 2);
    try {
      await owner.sql`INSERT INTO notify.tenants (id, name, signing_secret, api_key_hash)
        VALUES ('owned', 'Owned', 'secret', 'hash')`;
      const role = await createDatabaseRole(owner.sql, "owned", TEST_TENANT_ROLE_LIMITS);
      const url = new URL(ownerUrl);
      url.username = role.role;
      url.password = role.password;
      const held = connect(url.toString(), 1);
      await held`SELECT 1`;
      await setDisabled(owner.sql, "owned", true);
      await expect(held`SELECT 1`).rejects.toThrow();
      await held.end({ timeout: 1 });
      // The owner held the role's privileges only while it ended the sessions.
      const [inherited] = await owner.sql`
        SELECT pg_has_role(current_user, ${role.role}, 'USAGE') AS usage`;
      expect(inherited?.usage).toBe(false);

      await setDisabled(owner.sql, "owned", false);
      const again = connect(url.toString(), 1);
      await again`SELECT 1`;
      await deleteTenant(owner.sql, "owned");
      await expect(again`SELECT 1`).rejects.toThrow();
      await again.end({ timeout: 1 });
      const left = await owner.sql`SELECT 1 FROM pg_roles WHERE rolname = ${role.role}`;
      expect(left).toHaveLength(0);
    } finally {
      await owner.sql.end({ timeout: 1 });
    }
  });
});
