import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../../test/support/database.ts";
import { ADMIN_TOKEN } from "../../../test/support/server-process.ts";
import { type Stack, startStack } from "../../../test/support/stack.ts";
import { api, createTenant } from "../../../test/support/tenants.ts";
import { channels } from "./listener.ts";

/**
 * Every database role can NOTIFY every channel. A tenant's own role sending wake-ups as fast as
 * it can must not keep an instance reloading: at most one cheap reload a second.
 */
let stack: Stack;
let tenantRole: ReturnType<typeof connect>;

beforeAll(async () => {
  stack = await startStack({ NOTIFY_LOG_LEVEL: "debug" });
  await createTenant(stack.server.url, "noisy");
  const created = await api(
    stack.server.url,
    "/v1/admin/tenants/noisy/database-roles",
    ADMIN_TOKEN,
    {
      method: "POST",
    },
  );
  const url = new URL(stack.databaseUrl);
  url.username = created.body.role;
  url.password = created.body.password;
  tenantRole = connect(url.toString(), 1);
});
afterAll(async () => {
  await tenantRole?.end();
  await stack?.stop();
});

const reloads = () =>
  stack.server.output.filter((line) => line.includes('"tenants loaded"')).length;

describe("what any database role hears", () => {
  it("names no tenant and no recipient: a tenant role listening learns nothing of another's users", async () => {
    // Every channel the server listens on, whatever the delivery design names them.
    const heard: string[] = [];
    const listening = await Promise.all(
      Object.values(channels).map((channel) =>
        tenantRole.listen(channel, (payload) => heard.push(payload)),
      ),
    );
    await createTenant(stack.server.url, "quiet");
    await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title)
      VALUES ('quiet', 'ceo@quiet.example', 'Board meeting')`;
    const deadline = Date.now() + 5_000;
    // The tenant's creation is heard first (an empty payload); wait for the row's wake-up.
    while (!heard.some((payload) => payload !== "") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const subscription of listening) await subscription.unlisten();
    expect(heard.filter((payload) => payload !== "").length).toBeGreaterThan(0);
    for (const payload of heard) expect(payload).toMatch(/^\d*$/);
  });
});

describe("wake-ups sent by anyone", () => {
  it("reload the tenant directory at most once a second", async () => {
    const before = reloads();
    const started = Date.now();
    for (let i = 0; i < 500; i++) await tenantRole`NOTIFY notify_bell_tenants`;
    const seconds = (Date.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const made = reloads() - before;
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThanOrEqual(Math.ceil(seconds) + 2);
  });

  it("still let a real change through within the interval", async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await tenantRole`NOTIFY notify_bell_tenants`;
    // The next one falls inside the interval: it must run at its end, not be dropped.
    await stack.sql`UPDATE notify.tenants SET allowed_origins = '{https://late.example}' WHERE id = 'noisy'`;
    const deadline = Date.now() + 5_000;
    let allowed = false;
    while (!allowed && Date.now() < deadline) {
      const preflight = await fetch(new URL("/v1/notifications", stack.server.url), {
        method: "OPTIONS",
        headers: { origin: "https://late.example", "access-control-request-method": "GET" },
      });
      allowed = preflight.headers.get("access-control-allow-origin") === "https://late.example";
      if (!allowed) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(allowed).toBe(true);
  });
});
