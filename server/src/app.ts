import { Elysia } from "elysia";
import type { Config } from "./config.ts";
import type { Database, Sql } from "./db/client.ts";
import type { EmbeddedHealth } from "./db/embedded.ts";
import { allowedMethods, type Route } from "./http/allowed-methods.ts";
import { apiDocs } from "./http/api-docs.ts";
import { bodyLimit } from "./http/body-limit.ts";
import { tenantCors } from "./http/cors.ts";
import { errorHandler } from "./http/error-handler.ts";
import { jsonOnly } from "./http/json-only.ts";
import { createRateLimits } from "./http/rate-limits.ts";
import { requestLog } from "./http/request-log.ts";
import type { Logger } from "./log.ts";
import type { Metrics } from "./metrics.ts";
import { adminModule } from "./modules/admin/index.ts";
import { categoriesModule, categoryAdminModule } from "./modules/categories/index.ts";
import { healthModule } from "./modules/health/index.ts";
import { inboxModule } from "./modules/inbox/index.ts";
import { metricsModule } from "./modules/metrics/index.ts";
import { preferencesModule } from "./modules/preferences/index.ts";
import { publishModule } from "./modules/publish/index.ts";
import { streamModule } from "./modules/stream/index.ts";
import { widgetModule } from "./modules/widget/index.ts";
import type { Hub } from "./realtime/hub.ts";
import type { Listener } from "./realtime/listener.ts";
import type { TenantDirectory } from "./tenancy/directory.ts";

export interface AppParts {
  config: Config;
  log: Logger;
  sql: Sql;
  db: Database;
  /** The owner's pool, for the admin API's cross-tenant work. */
  owner: { sql: Sql; db: Database };
  directory: TenantDirectory;
  hub: Hub;
  listener: Listener;
  metrics: Metrics;
  /** The embedded Postgres, when the server runs its own: `/healthz` reports on it. */
  embedded?: { readonly health: EmbeddedHealth };
}

/** The HTTP surface: cross-cutting plugins first, then one module per feature. */
export function createApp({
  config,
  log,
  sql,
  db,
  owner,
  directory,
  hub,
  listener,
  metrics,
  embedded,
}: AppParts) {
  // Shared counters go through the request pool: its role and timeouts suit them.
  const limits = createRateLimits(config.limits, sql);
  const tokens = { directory, maxLifetimeSeconds: config.maxTokenLifetimeSeconds };
  // Bun's own cap answers with an empty 413; leave it above ours so clients get the JSON
  // error from `bodyLimit`, and keep it as the backstop for bodies sent without a length.
  // `normalize: false`: an unknown field is refused (400), not silently dropped.
  // The routes are known once the app is built: 405 answers read them then.
  let routes: () => readonly Route[] = () => [];
  const app = new Elysia({
    normalize: false,
    serve: { maxRequestBodySize: config.maxBodyBytes * 2 },
  })
    .use(
      errorHandler(
        log,
        allowedMethods(() => routes()),
      ),
    )
    .use(requestLog(log))
    .use(bodyLimit(config.maxBodyBytes))
    .use(jsonOnly())
    .use(tenantCors(directory))
    .use(
      apiDocs({
        title: "notify-bell",
        version: "0.1.0",
        description: "Postgres-backed notifications, streamed live over Server-Sent Events.",
      }),
    )
    .use(healthModule(sql, listener, hub, embedded))
    .use(metricsModule(metrics.registry, config.metricsToken))
    .use(widgetModule(config.widgetDir))
    .use(adminModule(owner.sql, owner.db, directory, config.adminToken, config.tenantRoles))
    .use(categoryAdminModule(owner.db, config.adminToken))
    .use(publishModule(db, directory, limits))
    .use(inboxModule(db, tokens, limits))
    .use(categoriesModule(db, tokens))
    .use(preferencesModule(db, tokens, limits))
    .use(streamModule(hub, tokens, config.streamBufferBytes, limits));
  routes = () => app.routes;
  return app;
}

export type App = ReturnType<typeof createApp>;
