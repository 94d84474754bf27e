/**
 * Gives the widget's browser tests a real notify-bell server on a real Postgres: no mock of
 * the stream or the database. Started once per run by @web/test-runner; the tests drive it
 * with `executeServerCommand("notify", { op, ... })`.
 *
 * Postgres runs apart from the server (embedded, or `DATABASE_URL` when set), so a test can
 * stop the server, insert rows while it is down, and start it again on the same port.
 */
import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import type postgres from "postgres";
import { connect, createDatabase } from "../../test/support/database.ts";
import { freePort, startPostgres, type TestPostgres } from "../../test/support/postgres.ts";
import { ADMIN_TOKEN, type ServerProcess, startServer } from "../../test/support/server-process.ts";

export type NotifyCommand =
  | { op: "info" }
  | { op: "token"; sub: string; ttlSeconds?: number; badSignature?: boolean }
  | {
      op: "insert";
      sub: string;
      title: string;
      body?: string | null;
      url?: string | null;
      actorName?: string | null;
      actorAvatarUrl?: string | null;
      actions?: unknown[] | null;
      groupKey?: string | null;
      category?: string | null;
    }
  | {
      op: "declareCategory";
      key: string;
      labels: Record<string, string>;
      position?: number;
      mutable?: boolean;
    }
  | { op: "delete"; id: string }
  | { op: "holdTicks"; ms: number }
  | { op: "rotateSecret" }
  | { op: "openStreams" }
  | { op: "stopServer" }
  | { op: "startServer" };

export interface NotifyInfo {
  server: string;
  tenant: string;
}

interface Harness {
  postgres: TestPostgres | null;
  databaseUrl: string;
  sql: postgres.Sql;
  port: number;
  server: ServerProcess | null;
  tenant: string;
  secret: Uint8Array;
}

const TENANT = "widget-tests";

export function notifyServerPlugin() {
  let harness: Harness | null = null;

  const serverEnv = (h: Harness) => ({
    DATABASE_URL: h.databaseUrl,
    PORT: String(h.port),
    NOTIFY_RETRY_MS: "250",
    NOTIFY_HEARTBEAT_MS: "2000",
    // Small, so a test can fall behind far enough to get a `reset`.
    NOTIFY_REPLAY_LIMIT: "5",
    // Small, so a test can open one stream more than a user may hold.
    NOTIFY_MAX_STREAMS_PER_USER: "4",
  });

  const start = async (h: Harness) => {
    const server = await startServer(serverEnv(h));
    h.server = server;
    // A server that dies on its own fails every later test: say why, once, where it happened.
    server.child.once("exit", (code, signal) => {
      if (h.server !== server) return;
      h.server = null;
      console.error(`notify-bell server exited (${code ?? signal}):\n${server.output.join("\n")}`);
    });
  };

  return {
    name: "notify-server",

    async serverStart({ config }: { config: { hostname?: string; port?: number } }) {
      const pg = process.env.DATABASE_URL ? null : await startPostgres();
      const databaseUrl = await createDatabase(process.env.DATABASE_URL ?? pg?.url ?? "");
      const h: Harness = {
        postgres: pg,
        databaseUrl,
        sql: connect(databaseUrl),
        port: await freePort(),
        server: null,
        tenant: TENANT,
        secret: new Uint8Array(),
      };
      harness = h;
      await start(h);
      const origin = `http://${config.hostname ?? "localhost"}:${config.port}`;
      const res = await fetch(`${h.server?.url}/v1/admin/tenants`, {
        method: "POST",
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
        body: JSON.stringify({ id: TENANT, name: "Widget tests", allowedOrigins: [origin] }),
      });
      if (res.status !== 201) throw new Error(`tenant not created: ${await res.text()}`);
      const created = (await res.json()) as { signingSecret: string };
      h.secret = new TextEncoder().encode(created.signingSecret);
    },

    async serverStop() {
      const h = harness;
      harness = null;
      if (!h) return;
      const server = h.server;
      h.server = null;
      await server?.stop();
      await h.sql.end({ timeout: 5 });
      await h.postgres?.dispose();
    },

    async executeCommand({ command, payload }: { command: string; payload?: unknown }) {
      if (command !== "notify") return undefined;
      const h = harness;
      if (!h) throw new Error("notify server is not running");
      return run(h, payload as NotifyCommand);
    },
  };

  async function run(h: Harness, cmd: NotifyCommand): Promise<unknown> {
    switch (cmd.op) {
      case "info":
        return { server: `http://127.0.0.1:${h.port}`, tenant: h.tenant } satisfies NotifyInfo;
      case "token": {
        const exp = Math.floor(Date.now() / 1000) + (cmd.ttlSeconds ?? 3600);
        const key = cmd.badSignature ? randomBytes(32) : h.secret;
        return new SignJWT({ tenant: h.tenant })
          .setProtectedHeader({ alg: "HS256" })
          .setSubject(cmd.sub)
          .setExpirationTime(exp)
          .sign(key);
      }
      case "insert": {
        // The documented tenant interface: plain SQL in the tenant's own transaction.
        const [row] = await h.sql`
          INSERT INTO notify.notifications
            (tenant_id, recipient, title, body, url, actor_name, actor_avatar_url, actions,
             group_key, category)
          VALUES (${h.tenant}, ${cmd.sub}, ${cmd.title}, ${cmd.body ?? null}, ${cmd.url ?? null},
            ${cmd.actorName ?? null}, ${cmd.actorAvatarUrl ?? null},
            ${cmd.actions ? JSON.stringify(cmd.actions) : null}::text::jsonb, ${cmd.groupKey ?? null},
            ${cmd.category ?? null})
          RETURNING id::text AS id`;
        return row?.id;
      }
      case "declareCategory":
        // As a tenant app does in SQL (notify.categories, its own tenant's rows).
        await h.sql`
          INSERT INTO notify.categories (tenant_id, key, labels, position, mutable)
          VALUES (${h.tenant}, ${cmd.key}, ${JSON.stringify(cmd.labels)}::text::jsonb,
            ${cmd.position ?? 0}, ${cmd.mutable ?? true})
          ON CONFLICT (tenant_id, key) DO UPDATE
            SET labels = EXCLUDED.labels, position = EXCLUDED.position, mutable = EXCLUDED.mutable`;
        return true;
      case "delete":
        // As a tenant app or retention does: the stream then sends a `delete` event.
        await h.sql`DELETE FROM notify.notifications WHERE tenant_id = ${h.tenant} AND id = ${cmd.id}`;
        return true;
      case "holdTicks": {
        // Holds the lock notify.tick() takes (migration 0013), so no tick is recorded for
        // `ms`: a stream that opens meanwhile waits that long for its start.
        let held = () => {};
        const holding = new Promise<void>((resolve) => {
          held = resolve;
        });
        void h.sql.begin(async (tx) => {
          await tx`SELECT pg_advisory_xact_lock(7316402119)`;
          held();
          await new Promise((resolve) => setTimeout(resolve, cmd.ms));
        });
        await holding;
        return true;
      }
      case "rotateSecret": {
        // Overlap 0: the old secret stops at once and its open streams end (`token_revoked`).
        const res = await fetch(`${h.server?.url}/v1/admin/tenants/${h.tenant}/signing-secret`, {
          method: "POST",
          headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
          body: JSON.stringify({ overlapSeconds: 0 }),
        });
        if (!res.ok) throw new Error(`secret not rotated: ${await res.text()}`);
        const { signingSecret } = (await res.json()) as { signingSecret: string };
        h.secret = new TextEncoder().encode(signingSecret);
        return true;
      }
      case "openStreams": {
        const res = await fetch(`http://127.0.0.1:${h.port}/healthz`);
        return ((await res.json()) as { openStreams: number }).openStreams;
      }
      case "stopServer": {
        const server = h.server;
        h.server = null;
        await server?.stop();
        return true;
      }
      case "startServer":
        if (!h.server) await start(h);
        return true;
    }
  }
}
