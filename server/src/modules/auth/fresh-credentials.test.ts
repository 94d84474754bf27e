import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_TOKEN,
  type ServerProcess,
  startServer,
} from "../../../../test/support/server-process.ts";
import { type Stack, startStack } from "../../../../test/support/stack.ts";
import { api, createTenant, userToken } from "../../../../test/support/tenants.ts";

// Two instances on one database. A tenant created (or a secret rotated) through the first is
// used at once, by many requests together, at the second: none may be refused because the
// second had not reloaded its tenants yet. (A browser's EventSource gives up for good on 401.)
let stack: Stack;
let other: ServerProcess;

beforeAll(async () => {
  stack = await startStack();
  other = await startServer({ DATABASE_URL: stack.databaseUrl });
});
afterAll(async () => {
  await other?.stop("SIGKILL");
  await stack?.stop();
});

const together = <T>(count: number, call: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: count }, (_, i) => call(i)));

describe("credentials created a moment ago on another instance", () => {
  it("accept every one of 20 concurrent user tokens and API-key calls of a new tenant", async () => {
    const tenant = await createTenant(stack.server.url, "brand-new");
    const tokens = await together(20, (i) => userToken(tenant, `user-${i}`));
    const [counts, published] = await Promise.all([
      together(20, (i) => api(other.url, "/v1/notifications/unread-count", tokens[i] as string)),
      together(20, (i) =>
        api(other.url, "/v1/notifications", tenant.apiKey, {
          body: { recipients: [`user-${i}`], title: "welcome" },
        }),
      ),
    ]);
    expect(counts.map((r) => r.status)).toEqual(counts.map(() => 200));
    expect(published.map((r) => r.status)).toEqual(published.map(() => 201));
  });

  it("accept every one of 20 concurrent tokens signed with a secret rotated a moment ago", async () => {
    const tenant = await createTenant(stack.server.url, "rotates-now");
    expect(
      (await api(other.url, "/v1/notifications/unread-count", await userToken(tenant, "a"))).status,
    ).toBe(200);
    const rotated = await api(
      stack.server.url,
      "/v1/admin/tenants/rotates-now/signing-secret",
      ADMIN_TOKEN,
      { body: { overlapSeconds: 0 } },
    );
    expect(rotated.status).toBe(200);
    const secret = (rotated.body as { signingSecret: string }).signingSecret;
    const tokens = await together(20, (i) =>
      userToken({ id: tenant.id, signingSecret: secret }, `u${i}`),
    );
    const counts = await together(20, (i) =>
      api(other.url, "/v1/notifications/unread-count", tokens[i] as string),
    );
    expect(counts.map((r) => r.status)).toEqual(counts.map(() => 200));
  });

  it("still refuse an unknown tenant and a forged signature, after a reload", async () => {
    const forged = await userToken(
      { id: "brand-new", signingSecret: "not-the-secret-0123456789abcdef" },
      "x",
    );
    const unknown = await userToken(
      { id: "no-such-tenant", signingSecret: "whatever-0123456789abcdef" },
      "x",
    );
    for (const token of [forged, unknown]) {
      expect((await api(other.url, "/v1/notifications/unread-count", token)).status).toBe(401);
    }
  });
});
