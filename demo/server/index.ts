import { type AnyElysia, Elysia, t } from "elysia";
import postgres from "postgres";
import { bodyLimit } from "../../server/src/http/body-limit.ts";
import { errorHandler } from "../../server/src/http/error-handler.ts";
import { requestLog } from "../../server/src/http/request-log.ts";
import type { Logger } from "../../server/src/log.ts";
import { createInsertLimit } from "./insert-limit.ts";
import { renderPage } from "./page.ts";
import { insertWithSql, publishBurst, publishWithApi } from "./tenant-app.ts";
import {
  DEMO_TENANTS,
  type DemoCredentials,
  type DemoTenantId,
  ensureDemoTenants,
  findTenant,
} from "./tenants.ts";
import { mintUserToken } from "./token.ts";
import { WebhookReceiver } from "./webhook-receiver.ts";

export interface DemoOptions {
  /**
   * The notify-bell database. The demo opens its own connection, as a tenant app would; with
   * the server's own credentials, since it also writes the demo tenants.
   */
  databaseUrl: string;
  log: Logger;
  /** Address the second origin listens on (the server's HOST). */
  host: string;
  /** Port of the second origin; 0 picks a free one. */
  secondPort: number;
  /** The server's body limit (NOTIFY_MAX_BODY_BYTES), which the second origin keeps too. */
  maxBodyBytes: number;
}

interface Running {
  serverUrl: string;
  mainPort: number;
  secondPort: number;
  credentials: Map<DemoTenantId, DemoCredentials>;
}

const publicDir = new URL("../public/", import.meta.url);
const assets: Record<string, string> = {
  "demo.js": "text/javascript; charset=utf-8",
  "demo.css": "text/css; charset=utf-8",
};

const message = {
  tenant: t.String(),
  recipient: t.String(),
  title: t.String({ minLength: 1, maxLength: 1000 }),
  body: t.Optional(t.String({ maxLength: 10_000 })),
  withActions: t.Optional(t.Boolean()),
  // One the demo tenants declared; the database refuses another (the panel shows why).
  category: t.Optional(t.String({ maxLength: 100 })),
};

/**
 * The demo site: a sample site that embeds the widget the way the README tells site owners
 * to, with its own backend (user tokens, a "tenant app" that publishes and inserts). Served on
 * the server's own origin at `/`, and on a second origin to show cross-origin embedding.
 * Nothing here reaches into the server: tenants are rows, publishing is HTTP, and delivery
 * is the server's business.
 */
export class Demo {
  private running: Running | undefined;
  private second: AnyElysia | undefined;
  private readonly sql: postgres.Sql;
  private readonly insertLimit = createInsertLimit();
  private readonly webhooks = new WebhookReceiver();

  constructor(private readonly options: DemoOptions) {
    this.sql = postgres(options.databaseUrl, {
      max: 2,
      onnotice: () => {},
      connection: { application_name: "notify-bell-demo" },
    });
  }

  /** The routes for the server's own origin; mount them before the server listens. */
  readonly routes = this.site("main");

  /**
   * Once the server listens at `serverUrl`: opens the second origin, then writes the demo
   * tenants with the origins of this run. Returns what to print in the terminal.
   */
  async start(serverUrl: string) {
    const main = new URL(serverUrl);
    // The same guards as the server's own origin: one error shape (never Bun's error page),
    // request logs, the body limit and the depth guard, and Bun's cap as their backstop.
    const { log, maxBodyBytes } = this.options;
    const second = new Elysia({
      normalize: false,
      serve: { maxRequestBodySize: maxBodyBytes * 2 },
    })
      .use(errorHandler(log))
      .use(requestLog(log))
      .use(bodyLimit(maxBodyBytes))
      .use(this.site("second"))
      .listen({
        port: this.options.secondPort,
        hostname: this.options.host,
      });
    this.second = second;
    const secondPort = second.server?.port ?? 0;
    const hosts = [...new Set([main.hostname, "127.0.0.1", "localhost"])];
    const origin = (port: number) => hosts.map((host) => `${main.protocol}//${host}:${port}`);
    const credentials = await ensureDemoTenants(
      this.sql,
      { main: origin(Number(main.port)), second: origin(secondPort) },
      (tenant) => `${main.origin}/demo/webhooks/${tenant}`,
    );
    for (const [tenant, { webhookSecret }] of credentials) {
      this.webhooks.setSecret(tenant, webhookSecret);
    }
    this.running = { serverUrl, mainPort: Number(main.port), secondPort, credentials };
    const url = `${main.origin}/`;
    const secondUrl = `${main.protocol}//${main.hostname}:${secondPort}/`;
    this.options.log.info("demo ready", {
      url,
      secondUrl,
      tenants: DEMO_TENANTS.map((tenant) => tenant.id),
    });
    // For the terminal only (never the JSON log): the key lets you try the publish API.
    const apiKey = credentials.get("demo-acme")?.apiKey;
    return [
      `  Demo         ${url}   (second origin: ${secondUrl})`,
      `  Demo tenant  demo-acme, API key ${apiKey}   (a new key at every start)`,
    ].join("\n");
  }

  async stop(): Promise<void> {
    await this.second?.stop(true);
    await this.sql.end({ timeout: 2 });
  }

  private site(origin: "main" | "second") {
    return (
      new Elysia({ name: `demo-${origin}` })
        .get("/", async ({ request, query }) => {
          const running = this.running;
          if (!running) return failure(503, "the demo is starting");
          const tenant = findTenant(query.tenant) ?? DEMO_TENANTS[0];
          const user = isDemoUser(tenant.id, query.user) ? (query.user as string) : tenant.users[0];
          const here = new URL(request.url);
          const at = (port: number) => `${here.protocol}//${here.hostname}:${port}`;
          const serverOrigin = at(running.mainPort);
          const html = renderPage({
            tenant,
            user,
            token: await this.token(running, tenant.id, user),
            widgetSrc: origin === "main" ? "/widget.js" : `${serverOrigin}/widget.js`,
            origin,
            otherOrigin: origin === "main" ? at(running.secondPort) : serverOrigin,
          });
          return new Response(html, {
            headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
          });
        })
        .get("/demo/:file", ({ params }) => {
          const type = assets[params.file];
          if (!type) return failure(404, "no such file");
          return new Response(Bun.file(new URL(params.file, publicDir)), {
            headers: { "content-type": type, "cache-control": "no-cache" },
          });
        })
        .get("/demo/api/token", async ({ query }) => {
          const running = this.running;
          if (!running) return failure(503, "the demo is starting");
          if (!isDemoUser(query.tenant, query.user)) return failure(400, "not a demo user");
          return { token: await this.token(running, query.tenant as DemoTenantId, query.user) };
        })
        // The demo tenants' backend: the server POSTs their webhooks here (main origin only).
        .post(
          "/demo/webhooks/:tenant",
          ({ params, body, request }) =>
            origin === "main"
              ? this.webhooks.receive(params.tenant, body, request.headers)
              : failure(404, "webhooks go to the server's origin"),
          // The signature covers the exact bytes: read them as text, never re-serialized JSON.
          { parse: "text", body: t.String() },
        )
        .get("/demo/api/webhooks", ({ query }) => {
          if (!findTenant(query.tenant)) return failure(400, "not a demo tenant");
          return { received: this.webhooks.list(query.tenant as string) };
        })
        // Anyone who reaches the demo may insert: a few times a minute, not without end.
        .onBeforeHandle(async ({ request, server }) => {
          if (request.method !== "POST") return;
          const client = server?.requestIP(request)?.address ?? "unknown";
          const waitMs = await this.insertLimit(client);
          if (waitMs === 0) return;
          return failure(429, "the demo takes a few notifications a minute; try again shortly", {
            "retry-after": String(Math.ceil(waitMs / 1000)),
          });
        })
        .post(
          "/demo/api/publish",
          ({ body }) => {
            const running = this.running;
            if (!running) return failure(503, "the demo is starting");
            if (!isDemoUser(body.tenant, body.recipient)) return failure(400, "not a demo user");
            const apiKey = running.credentials.get(body.tenant as DemoTenantId)?.apiKey ?? "";
            return publishWithApi(running.serverUrl, apiKey, body);
          },
          { body: t.Object(message) },
        )
        .post(
          "/demo/api/burst",
          ({ body }) => {
            const running = this.running;
            if (!running) return failure(503, "the demo is starting");
            if (!isDemoUser(body.tenant, body.recipient)) return failure(400, "not a demo user");
            const apiKey = running.credentials.get(body.tenant as DemoTenantId)?.apiKey ?? "";
            return publishBurst(running.serverUrl, apiKey, body.recipient);
          },
          { body: t.Object({ tenant: t.String(), recipient: t.String() }) },
        )
        .post(
          "/demo/api/sql",
          async ({ body }) => {
            if (!this.running) return failure(503, "the demo is starting");
            if (!isDemoUser(body.tenant, body.recipient)) return failure(400, "not a demo user");
            try {
              return await insertWithSql(this.sql, body, body.rollback ?? false);
            } catch (error) {
              // The database refused the row (a constraint): show why, as psql would.
              return failure(400, error instanceof Error ? error.message : String(error));
            }
          },
          { body: t.Object({ ...message, rollback: t.Optional(t.Boolean()) }) },
        )
    );
  }

  /** "Signing in": a real site takes the user from its session; the demo takes it from the page. */
  private token(running: Running, tenant: DemoTenantId, user: string): Promise<string> {
    const secret = running.credentials.get(tenant)?.signingSecret ?? "";
    return mintUserToken(tenant, secret, user);
  }
}

/** The demo's backend signs anyone in, so only as the demo's own users, never as yours. */
function isDemoUser(tenantId: unknown, user: unknown): user is string {
  return (findTenant(tenantId)?.users as readonly unknown[] | undefined)?.includes(user) ?? false;
}

function failure(status: number, message: string, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify({ error: { message } }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}
