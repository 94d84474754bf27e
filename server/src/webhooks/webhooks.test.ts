import { createServer, type Server } from "node:http";
import { WebhookVerificationService } from "@hookflo/tern";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { connect } from "../../../test/support/database.ts";
import { freePort } from "../../../test/support/postgres.ts";
import {
  ADMIN_TOKEN,
  type ServerProcess,
  startServer,
} from "../../../test/support/server-process.ts";
import { type Stack, startStack } from "../../../test/support/stack.ts";
import { api, createTenant, type TestTenant, userToken } from "../../../test/support/tenants.ts";

/**
 * Webhooks against a real HTTP receiver: each delivery verified with an independent Standard
 * Webhooks implementation (@hookflo/tern's, its own HMAC code; svix's wraps the same
 * `standardwebhooks` package the server signs with, so it would prove nothing), and delivered at least once across a SIGKILL of the server
 * between the user's action and the delivery.
 */
interface Received {
  headers: Record<string, string>;
  body: string;
}

let stack: Stack;
let receiver: Server;
let receiverUrl: string;
let answer = 200;
const received: Received[] = [];
let acme: TestTenant;
let secret: string;

const env = {
  NOTIFY_RATE_LIMITS: "off",
  NOTIFY_WEBHOOK_POLL_MS: "100",
  NOTIFY_WEBHOOK_FIRST_RETRY_MS: "200",
};

beforeAll(async () => {
  const port = await freePort();
  receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ headers: request.headers as Record<string, string>, body });
      response.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(port, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${port}/hooks`;
  stack = await startStack(env);
  acme = await createTenant(stack.server.url, "acme");
  await createTenant(stack.server.url, "globex");
});
afterAll(async () => {
  await stack?.stop();
  receiver?.close();
});

async function insert(tenant: string, recipient: string, title: string): Promise<string> {
  const [row] = await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title)
    VALUES (${tenant}, ${recipient}, ${title}) RETURNING id::text`;
  return row?.id as string;
}

interface ReadEvent {
  type: string;
  timestamp: string;
  data: { recipient: string; notificationIds?: string[]; notificationId?: string };
}

/** The event, if its signature verifies against the tenant's secret; throws if not. */
async function verified(delivery: Received): Promise<ReadEvent> {
  const request = new Request(receiverUrl, {
    method: "POST",
    headers: delivery.headers,
    body: delivery.body,
  });
  // Replicate's webhooks are Standard Webhooks: tern's config for them is the spec's scheme.
  const result = await WebhookVerificationService.verifyWithPlatformConfig<ReadEvent>(
    request,
    "replicateai",
    secret,
  );
  if (!result.isValid) throw new Error(`signature refused: ${result.error}`);
  return result.payload as ReadEvent;
}

describe("a tenant's webhook", () => {
  it("is set through the admin API, with a whsec_ secret shown once", async () => {
    const bad = await api(stack.server.url, "/v1/admin/tenants/acme/webhook", ADMIN_TOKEN, {
      method: "PUT",
      body: { url: "ftp://example.com", events: ["notification.read"] },
    });
    expect(bad.status).toBe(400);
    const unknownEvent = await api(
      stack.server.url,
      "/v1/admin/tenants/acme/webhook",
      ADMIN_TOKEN,
      {
        method: "PUT",
        body: { url: receiverUrl, events: ["everything"] },
      },
    );
    expect(unknownEvent.status).toBe(400);

    const set = await api(stack.server.url, "/v1/admin/tenants/acme/webhook", ADMIN_TOKEN, {
      method: "PUT",
      body: { url: receiverUrl, events: ["notification.read"] },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ url: receiverUrl, events: ["notification.read"] });
    expect(set.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    secret = set.body.secret;

    const again = await api(stack.server.url, "/v1/admin/tenants/acme/webhook", ADMIN_TOKEN, {
      method: "PUT",
      body: { url: receiverUrl, events: ["notification.read"] },
    });
    expect(again.status).toBe(200);
    expect(again.body.secret).toBeUndefined();
  });

  it("gets a signed notification.read when a user marks notifications read", async () => {
    const id = await insert("acme", "alice", "Invoice paid");
    const token = await userToken(acme, "alice");
    const read = await api(stack.server.url, "/v1/notifications/read", token, {
      body: { ids: [id] },
    });
    expect(read.status).toBe(200);
    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 10_000 });
    const event = await verified(received[0] as Received);
    expect(event).toMatchObject({
      type: "notification.read",
      data: { recipient: "alice", notificationIds: [id] },
    });
    expect(received[0]?.headers["webhook-id"]).toMatch(/^msg_\d+$/);

    // A repeat changes nothing, so it reports nothing.
    await api(stack.server.url, "/v1/notifications/read", token, { body: { ids: [id] } });
    const tampered = {
      ...(received[0] as Received),
      body: (received[0] as Received).body.replace("alice", "mallory"),
    };
    await expect(verified(tampered)).rejects.toThrow("signature refused");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received).toHaveLength(1);
  });

  it("sends nothing for a tenant without a webhook, and shows each tenant only its own deliveries", async () => {
    const id = await insert("globex", "bob", "Hello");
    const token = await userToken(
      { id: "globex", signingSecret: await createdSecret("globex") },
      "bob",
    );
    expect(
      (await api(stack.server.url, "/v1/notifications/read", token, { body: { ids: [id] } }))
        .status,
    ).toBe(200);
    const [{ count }] = (await stack.sql`SELECT count(*)::int AS count
      FROM notify.webhook_deliveries WHERE tenant_id = 'globex'`) as unknown as [{ count: number }];
    expect(count).toBe(0);

    const role = await api(
      stack.server.url,
      "/v1/admin/tenants/globex/database-roles",
      ADMIN_TOKEN,
      {
        method: "POST",
      },
    );
    const url = new URL(stack.databaseUrl);
    url.username = role.body.role;
    url.password = role.body.password;
    const globexApp = connect(url.toString(), 1);
    try {
      const visible = await globexApp`SELECT tenant_id FROM notify.webhook_deliveries`;
      expect(visible).toEqual([]);
      await expect(globexApp`SELECT webhook_secret FROM notify.tenants`).rejects.toThrow(
        "permission denied",
      );
    } finally {
      await globexApp.end();
    }
  });

  it("is delivered at least once, with one webhook-id, across a SIGKILL of the server", async () => {
    answer = 503;
    const before = received.length;
    const id = await insert("acme", "alice", "Export ready");
    const token = await userToken(acme, "alice");
    expect(
      (await api(stack.server.url, "/v1/notifications/read", token, { body: { ids: [id] } }))
        .status,
    ).toBe(200);
    // The failed attempt is recorded (a kill in the middle of a send would leave the row
    // leased for a minute: also delivered again, but later than this test waits).
    await vi.waitFor(
      async () => {
        expect(received.length).toBeGreaterThan(before);
        const [row] = await stack.sql`SELECT last_error FROM notify.webhook_deliveries
          WHERE data->'notificationIds' ? ${id}`;
        expect(row?.last_error).toBe("answered 503");
      },
      { timeout: 15_000, interval: 50 },
    );

    await stack.server.stop("SIGKILL");
    answer = 200;
    const restarted: ServerProcess = await startServer({ DATABASE_URL: stack.databaseUrl, ...env });
    try {
      await vi.waitFor(
        async () => {
          const [row] = await stack.sql`SELECT delivered_at FROM notify.webhook_deliveries
            WHERE data->'notificationIds' ? ${id}`;
          expect(row?.delivered_at).toBeTruthy();
        },
        { timeout: 30_000, interval: 100 },
      );
    } finally {
      await restarted.stop("SIGKILL");
    }
    const attempts = received.slice(before);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(attempts.map((attempt) => attempt.headers["webhook-id"])).size).toBe(1);
    for (const attempt of attempts) {
      expect((await verified(attempt)).data.notificationIds).toEqual([id]);
    }
  });
});

describe("notification.action", () => {
  it("is sent for a click, signed, at least once across a SIGKILL between the click and the delivery", async () => {
    // The read test above ended with its server killed: this one runs its own.
    let server: ServerProcess = await startServer({ DATABASE_URL: stack.databaseUrl, ...env });
    try {
      const subscribed = await api(server.url, "/v1/admin/tenants/acme/webhook", ADMIN_TOKEN, {
        method: "PUT",
        body: { url: receiverUrl, events: ["notification.read", "notification.action"] },
      });
      expect(subscribed.status).toBe(200);
      expect(subscribed.body.secret).toBeUndefined();
      answer = 503;
      const before = received.length;
      const [row] = await stack.sql`INSERT INTO notify.notifications
        (tenant_id, recipient, title, actions)
        VALUES ('acme', 'alice', 'Join the call?',
                ${stack.sql.json([{ id: "join", label: "Join" }])}) RETURNING id::text`;
      const id = row?.id as string;
      const token = await userToken(acme, "alice");
      const click = await api(server.url, `/v1/notifications/${id}/actions/join`, token, {
        method: "POST",
      });
      expect(click.status).toBe(200);
      await vi.waitFor(
        async () => {
          const [delivery] = await stack.sql`SELECT last_error FROM notify.webhook_deliveries
            WHERE event_type = 'notification.action' AND data->>'notificationId' = ${id}`;
          expect(delivery?.last_error).toBe("answered 503");
        },
        { timeout: 15_000, interval: 50 },
      );

      await server.stop("SIGKILL");
      answer = 200;
      server = await startServer({ DATABASE_URL: stack.databaseUrl, ...env });
      await vi.waitFor(
        async () => {
          const [delivery] = await stack.sql`SELECT delivered_at FROM notify.webhook_deliveries
            WHERE event_type = 'notification.action' AND data->>'notificationId' = ${id}`;
          expect(delivery?.delivered_at).toBeTruthy();
        },
        { timeout: 30_000, interval: 100 },
      );
      const events = await Promise.all(received.slice(before).map(verified));
      const actions = events.filter((event) => event.type === "notification.action");
      expect(actions.length).toBeGreaterThanOrEqual(2);
      for (const event of actions) {
        expect(event.data).toEqual({ recipient: "alice", notificationId: id, actionId: "join" });
      }
      // Taking the action read it, so the read event went too.
      expect(events.some((event) => event.type === "notification.read")).toBe(true);
    } finally {
      await server.stop("SIGKILL");
    }
  });
});

/** globex's secret, as the tenant's backend keeps it (created by the admin API in beforeAll). */
async function createdSecret(tenant: string): Promise<string> {
  const [row] = await stack.sql`SELECT signing_secret FROM notify.tenants WHERE id = ${tenant}`;
  return row?.signing_secret as string;
}
