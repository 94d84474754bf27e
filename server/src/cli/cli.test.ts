import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort } from "../../../test/support/postgres.ts";
import { type ServerProcess, startServer } from "../../../test/support/server-process.ts";
import { type Stack, startStack } from "../../../test/support/stack.ts";
import { api, type TestTenant, userToken } from "../../../test/support/tenants.ts";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const bun = `${root}/node_modules/.bin/bun`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (`bun server/src/cli/main.ts`, what `npm run notify` runs) in its own process. */
function notify(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      bun,
      ["server/src/cli/main.ts", ...args],
      { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const acmeArgs = [
  ...["tenant", "create", "--id", "acme", "--name", "Acme Inc."],
  ...["--origin", "http://localhost:5173", "--origin", "https://app.example.com"],
];

describe("with DATABASE_URL", () => {
  let stack: Stack;
  let env: Record<string, string>;
  let acme: TestTenant;

  beforeAll(async () => {
    stack = await startStack();
    env = { DATABASE_URL: stack.databaseUrl };
  });
  afterAll(() => stack?.stop());

  it("tenant create prints the tenant with its signing secret and API key, exit 0", async () => {
    const run = await notify(acmeArgs, env);
    expect(run.code, run.stderr).toBe(0);
    acme = JSON.parse(run.stdout);
    expect(acme).toEqual({
      id: "acme",
      name: "Acme Inc.",
      allowedOrigins: ["http://localhost:5173", "https://app.example.com"],
      signingSecret: expect.stringMatching(/^[\w-]{43}$/),
      apiKey: expect.stringMatching(/^nbk_[\w-]{43}$/),
    });
    expect(run.stderr).toMatch(/cannot be shown again/);
  });

  it("stores only a hash of the API key", async () => {
    const [row] = await stack.sql`SELECT * FROM notify.tenants WHERE id = 'acme'`;
    expect(row?.api_key_hash).toBe(createHash("sha256").update(acme.apiKey).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(acme.apiKey);
  });

  it("makes a tenant the running server accepts: its token, API key and origins work", async () => {
    const { url } = stack.server;
    const published = await api(url, "/v1/notifications", acme.apiKey, {
      body: { recipients: ["ada"], title: "Welcome" },
    });
    expect(published.status).toBe(201);
    const count = await api(url, "/v1/notifications/unread-count", await userToken(acme, "ada"));
    expect(count).toMatchObject({ status: 200, body: { unreadCount: 1 } });
    await vi.waitFor(async () => {
      const preflight = await fetch(new URL("/v1/notifications", url), {
        method: "OPTIONS",
        headers: {
          origin: "https://app.example.com",
          "access-control-request-method": "GET",
          "access-control-request-headers": "authorization",
        },
      });
      expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    });
  });

  it("tenant create refuses an existing id with exit 1 and prints nothing on stdout", async () => {
    const run = await notify(acmeArgs, env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/tenant "acme" already exists/);
  });

  it("tenant list prints ids, names and origins, never a secret", async () => {
    const globex = await notify(["tenant", "create", "--id", "globex", "--name", "Globex"], env);
    expect(globex.code, globex.stderr).toBe(0);
    const run = await notify(["tenant", "list"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      {
        id: "acme",
        name: "Acme Inc.",
        allowedOrigins: ["http://localhost:5173", "https://app.example.com"],
        createdAt: expect.any(String),
      },
      { id: "globex", name: "Globex", allowedOrigins: [], createdAt: expect.any(String) },
    ]);
    const secrets = [acme.signingSecret, acme.apiKey, JSON.parse(globex.stdout).signingSecret];
    for (const secret of secrets) expect(run.stdout).not.toContain(secret);
    expect(run.stdout).not.toMatch(/secret|apiKey|hash/i);
  });

  it("tenant rotate-secret prints a new secret; tokens signed with either work during the overlap", async () => {
    const oldToken = await userToken(acme, "rotated");
    const run = await notify(["tenant", "rotate-secret", "--id", "acme", "--overlap", "600"], env);
    expect(run.code, run.stderr).toBe(0);
    const rotated = JSON.parse(run.stdout);
    expect(rotated.signingSecret).toMatch(/^[\w-]{43}$/);
    const newToken = await userToken({ ...acme, signingSecret: rotated.signingSecret }, "rotated");
    const { url } = stack.server;
    await vi.waitFor(async () => {
      expect((await api(url, "/v1/notifications/unread-count", newToken)).status).toBe(200);
    });
    expect((await api(url, "/v1/notifications/unread-count", oldToken)).status).toBe(200);
    acme.signingSecret = rotated.signingSecret;
  });

  it("tenant rotate-key with --overlap 0 retires the old key at once", async () => {
    const run = await notify(["tenant", "rotate-key", "--id", "acme", "--overlap", "0"], env);
    expect(run.code, run.stderr).toBe(0);
    const rotated = JSON.parse(run.stdout);
    expect(rotated).toEqual({
      apiKey: expect.stringMatching(/^nbk_/),
      previousKeyValidUntil: null,
    });
    const publish = (key: string) =>
      api(stack.server.url, "/v1/notifications", key, { body: { recipients: ["x"], title: "t" } });
    await vi.waitFor(async () => expect((await publish(rotated.apiKey)).status).toBe(201));
    expect((await publish(acme.apiKey)).status).toBe(401);
  });

  it("tenant disable, enable and delete; a deleted id cannot be created again", async () => {
    const token = await userToken(acme, "ada");
    const count = () => api(stack.server.url, "/v1/notifications/unread-count", token);
    const disable = await notify(["tenant", "disable", "--id", "acme"], env);
    expect(JSON.parse(disable.stdout)).toEqual({ id: "acme", disabled: true });
    await vi.waitFor(async () => expect((await count()).status).toBe(401));
    expect((await notify(["tenant", "enable", "--id", "acme"], env)).code).toBe(0);
    await vi.waitFor(async () => expect((await count()).status).toBe(200));
    const run = await notify(["tenant", "delete", "--id", "globex"], env);
    expect(JSON.parse(run.stdout)).toEqual({ id: "globex", deleted: true });
    const again = await notify(["tenant", "create", "--id", "globex", "--name", "G"], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/cannot be used again/);
    const missing = await notify(["tenant", "delete", "--id", "globex"], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/does not exist/);
  });

  it("tenant create with only an id names the tenant after it and says how to allow an origin", async () => {
    const run = await notify(["tenant", "create", "--id", "first-day"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      id: "first-day",
      name: "first-day",
      allowedOrigins: [],
    });
    expect(run.stderr).toContain(
      "npm run notify -- tenant update --id first-day --add-origin http://localhost:5173",
    );
  });

  it("tenant update adds and removes origins, keeping the others, and the server follows", async () => {
    const added = await notify(
      ["tenant", "update", "--id", "first-day", "--add-origin", "http://localhost:8080"],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout).allowedOrigins).toEqual(["http://localhost:8080"]);
    const preflight = (origin: string) =>
      fetch(new URL("/v1/notifications", stack.server.url), {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "GET" },
      }).then((response) => response.headers.get("access-control-allow-origin"));
    await vi.waitFor(async () =>
      expect(await preflight("http://localhost:8080")).toBe("http://localhost:8080"),
    );

    const changed = await notify(
      [
        ...["tenant", "update", "--id", "first-day", "--name", "First day"],
        ...["--add-origin", "https://app.example.com", "--remove-origin", "http://localhost:8080"],
      ],
      env,
    );
    expect(changed.code, changed.stderr).toBe(0);
    expect(JSON.parse(changed.stdout)).toMatchObject({
      name: "First day",
      allowedOrigins: ["https://app.example.com"],
    });

    const bad = await notify(
      ["tenant", "update", "--id", "first-day", "--add-origin", "https://a.com/x"],
      env,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/origin/);
    const unknown = await notify(["tenant", "update", "--id", "nobody", "--name", "x"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/does not exist/);
  });

  it("token mints a user token the server accepts, and notify inserts a row that reaches it", async () => {
    const minted = await notify(["token", "--tenant", "first-day", "--user", "alice"], env);
    expect(minted.code, minted.stderr).toBe(0);
    const token = minted.stdout.trim();
    expect(token.split(".")).toHaveLength(3);

    const sent = await notify(
      ["notify", "--tenant", "first-day", "--user", "alice", "--title", "Hello from the CLI"],
      env,
    );
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({
      tenantId: "first-day",
      recipient: "alice",
      title: "Hello from the CLI",
    });
    const list = await api(stack.server.url, "/v1/notifications", token);
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { title: string }) => item.title)).toEqual([
      "Hello from the CLI",
    ]);

    const expired = await notify(
      ["token", "--tenant", "first-day", "--user", "alice", "--ttl", "86401"],
      env,
    );
    expect(expired.code).toBe(2);
    const nobody = await notify(
      ["notify", "--tenant", "nobody", "--user", "a", "--title", "x"],
      env,
    );
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/does not exist/);
  });

  it("category set, list and delete manage the tabs; a category in use cannot be deleted", async () => {
    const tenant = ["--tenant", "first-day"];
    const set = await notify(
      [
        ...["category", "set", ...tenant, "--key", "reviews", "--label", "en=Reviews"],
        ...["--label", "ko=리뷰", "--position", "2"],
      ],
      env,
    );
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({
      key: "reviews",
      labels: { en: "Reviews", ko: "리뷰" },
      position: 2,
      mutable: true,
    });
    const security = ["--key", "security", "--label", "en=Security", "--not-mutable"];
    expect((await notify(["category", "set", ...tenant, ...security], env)).code).toBe(0);
    const list = await notify(["category", "list", ...tenant], env);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).map((c: { key: string }) => c.key)).toEqual([
      "security",
      "reviews",
    ]);
    // What users read for their tabs, through the server.
    const token = (await notify(["token", ...tenant, "--user", "bob"], env)).stdout.trim();
    const categories = await api(stack.server.url, "/v1/categories", token);
    expect(categories.body.categories).toContainEqual(
      expect.objectContaining({ key: "security", mutable: false }),
    );

    await stack.sql`INSERT INTO notify.notifications (tenant_id, recipient, title, category)
      VALUES ('first-day', 'carol', 'New sign-in', 'security')`;
    const inUse = await notify(["category", "delete", ...tenant, "--key", "security"], env);
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toMatch(/notifications still have category "security"/);
    await stack.sql`DELETE FROM notify.notifications WHERE recipient = 'carol'`;
    const deleted = await notify(["category", "delete", ...tenant, "--key", "security"], env);
    expect(deleted.code, deleted.stderr).toBe(0);
    const none = await notify(["category", "delete", ...tenant, "--key", "security"], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/has no category "security"/);
  });

  it.each([
    [["--key", "k"], /category set needs --label/],
    [["--key", "k", "--label", "english"], /--label: write it as <language>=<label>/],
    [["--key", "k", "--label", "not a tag=X"], /--label/],
    [["--key", "k", "--label", "en=A", "--label", "en=B"], /one per language/],
    [["--key", "k", "--label", "en="], /--label/],
    [["--key", "k", "--label", "en=A", "--position", "first"], /--position/],
    [["--key", "k", "--label", "en=A", "--position", "10001"], /--position/],
    [["--label", "en=A"], /category set needs --key/],
  ])("category set refuses bad input with exit 2: %j", async (extra, message) => {
    const run = await notify(["category", "set", "--tenant", "first-day", ...extra], env);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
  });

  it("notify takes a category, an actor and action buttons, as the publish API does", async () => {
    // "reviews" was declared by `category set` above: the database refuses an undeclared one.
    const sent = await notify(
      [
        ...["notify", "--tenant", "first-day", "--user", "bob", "--title", "Review requested"],
        ...["--category", "reviews", "--group-key", "pull:7"],
        ...["--actor", "Ana Lima", "--avatar", "/avatars/ana.png"],
        ...["--action", "approve=Approve", "--action", "view=Open = diff"],
        ...["--action-url", "view=/pulls/7"],
      ],
      env,
    );
    expect(sent.code, sent.stderr).toBe(0);
    const { id } = JSON.parse(sent.stdout);
    const token = (await notify(["token", "--tenant", "first-day", "--user", "bob"], env)).stdout;
    const list = await api(stack.server.url, "/v1/notifications", token.trim());
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id,
        category: "reviews",
        groupKey: "pull:7",
        actor: { name: "Ana Lima", avatarUrl: "/avatars/ana.png" },
        actions: [
          { id: "approve", label: "Approve", style: "primary" },
          { id: "view", label: "Open = diff", url: "/pulls/7", style: "secondary" },
        ],
      }),
    ]);
  });

  it.each([
    [["--action", "a=A", "--action", "b=B", "--action", "c=C"], /--action/],
    [["--action", "same=A", "--action", "same=B"], /action ids must differ/],
    [["--action", "no-label"], /--action: write it as <id>=<label>/],
    [["--action", "go=Go", "--action-url", "go=javascript:alert(1)"], /action urls must be/],
    [["--action-url", "go=/x"], /--action-url go: no --action go/],
    [["--avatar", "https://a.example/a.png"], /--avatar needs --actor/],
    [["--actor", "Ana", "--avatar", "http://plain.example/a.png"], /avatarUrl must be/],
    [["--actor", "x".repeat(101)], /--actor/],
    [["--group-key", "has space"], /--group-key/],
  ])("notify refuses what the publish API refuses, exit 2: %j", async (extra, message) => {
    const args = ["notify", "--tenant", "first-day", "--user", "bob", "--title", "t", ...extra];
    const run = await notify(args, env);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
  });

  it.each([
    [["tenant", "rotate-secret", "--id", "acme", "--overlap", "-1"], /--overlap/],
    [["tenant", "rotate-key", "--id", "acme", "--overlap", "604801"], /--overlap/],
    [["tenant", "disable", "--id", "acme", "--overlap", "5"], /--overlap/],
  ])("lifecycle commands refuse bad input with exit 2: %j", async (args, message) => {
    const run = await notify(args, env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
  });

  it.each([
    [["tenant", "create", "--id", "Acme!", "--name", "A"], /--id/],
    [["tenant", "create", "--id", "a", "--name", ""], /--name/],
    [["tenant", "create", "--id", "a", "--name", "A", "--origin", "https://a.com/x"], /origin/],
  ])("tenant create refuses bad input with exit 2: %j", async (args, message) => {
    const run = await notify(args, env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
  });

  it.each([
    [[]],
    [["tenant"]],
    [["tenant", "delete"]],
    [["tenant", "create", "--name", "No id"]],
    [["tenant", "create", "--id", "a", "--name", "A", "--colour", "red"]],
    [["tenant", "list", "--id", "acme"]],
  ])("bad usage exits 2 with the usage on stderr: %j", async (args) => {
    const run = await notify(args, env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^notify: .+\n\nUsage: npm run notify -- <command>/);
  });

  it.each([[["--help"]], [["-h"]], [["tenant", "create", "--help"]]])(
    "%j prints the usage on stdout, exit 0",
    async (args) => {
      const run = await notify(args, {});
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: npm run notify -- <command>/);
      expect(run.stdout).toMatch(/tenant create --id <id> \[--name <name>\] \[--origin <origin>\]/);
      expect(run.stdout).toMatch(/tenant list/);
    },
  );

  it("a bad setting exits 2, naming the variable", async () => {
    const run = await notify(["tenant", "list"], { DATABASE_URL: "mysql://localhost/db" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad configuration: DATABASE_URL/);
  });

  it("an unreachable database exits 1", async () => {
    const port = await freePort();
    const run = await notify(["tenant", "list"], {
      DATABASE_URL: `postgres://postgres:x@127.0.0.1:${port}/postgres`,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^notify: /);
  });
});

describe("with the embedded Postgres (no DATABASE_URL)", () => {
  let dataDir: string;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;

  const postmasterPid = () => {
    const file = join(dataDir, "postgres", "postmaster.pid");
    return existsSync(file) ? Number(readFileSync(file, "utf8").split("\n")[0]) : undefined;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "notify-bell-cli-"));
    // As root, Postgres runs as the `postgres` user, which must be able to reach the folder.
    chmodSync(dataDir, 0o755);
    // No demo: its tenants would be listed too.
    env = {
      NOTIFY_DATA_DIR: dataDir,
      NOTIFY_EMBEDDED_PG_PORT: String(await freePort()),
      NOTIFY_DEMO: "0",
    };
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("uses the Postgres a running server started, without restarting it", async () => {
    server = await startServer(env);
    const pid = postmasterPid();
    expect(pid).toBeGreaterThan(0);

    const run = await notify(["tenant", "create", "--id", "initech", "--name", "Initech"], env);
    expect(run.code, run.stderr).toBe(0);
    const initech = JSON.parse(run.stdout) as TestTenant;

    expect(postmasterPid()).toBe(pid);
    const health = await fetch(new URL("/healthz", server.url));
    expect(health.status).toBe(200);
    const count = await api(
      server.url,
      "/v1/notifications/unread-count",
      await userToken(initech, "u"),
    );
    expect(count).toMatchObject({ status: 200, body: { unreadCount: 0 } });
  });

  it("starts the embedded Postgres itself when no server runs it, and stops it after", async () => {
    expect(await server?.stop()).toBe(0);
    server = undefined;
    expect(postmasterPid()).toBeUndefined();

    const run = await notify(["tenant", "list"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      { id: "initech", name: "Initech", allowedOrigins: [], createdAt: expect.any(String) },
    ]);
    expect(postmasterPid()).toBeUndefined();
  });
});
