import { join } from "node:path";
import type { AnyElysia } from "elysia";
import { createApp } from "./app.ts";
import { type Config, ConfigError, loadConfig } from "./config.ts";
import { APP_ROLE, createDatabase } from "./db/client.ts";
import { EmbeddedDatabase } from "./db/embedded.ts";
import { runMigrations } from "./db/migrate.ts";
import { withoutPassword } from "./db/printable-url.ts";
import { TenantGate } from "./db/tenant-gate.ts";
import { shareTenants } from "./db/tenant-scope.ts";
import { RetentionJob } from "./lifecycle/retention.ts";
import { SnoozeWakeJob } from "./lifecycle/snooze-wake.ts";
import { createLogger, errorFields, type Logger } from "./log.ts";
import { createMetrics } from "./metrics.ts";
import { revocationReason } from "./modules/stream/revocation.ts";
import { createChangeLog } from "./realtime/change-log.ts";
import { Hub } from "./realtime/hub.ts";
import { Listener } from "./realtime/listener.ts";
import { rateLimited } from "./realtime/rate-limited.ts";
import { Ticker } from "./realtime/ticker.ts";
import { describeStartupFailure, isAddressInUse, StartupError } from "./startup-error.ts";
import { TenantDirectory } from "./tenancy/directory.ts";
import { WebhookSender } from "./webhooks/webhook-sender.ts";

/**
 * Something that starts and stops with the server and adds routes to its origin: the demo
 * (`demo/server/main.ts`, which `npm start` runs). The production entry (`main.ts`) has none.
 */
export interface Extension {
  /** Mounted on the server's origin before it listens. */
  readonly routes: AnyElysia;
  /** Once the server listens at `url`; returns lines for the terminal banner. */
  start(url: string): Promise<string>;
  /** On shutdown, after the server has stopped. */
  stop(): Promise<void>;
}

/** What an extension is made from: the loaded configuration, the database, the log. */
export interface ExtensionContext {
  config: Config;
  databaseUrl: string;
  log: Logger;
}

/** Connections for the owner's cross-tenant jobs (tenant directory, catch-up, retention, admin). */
const OWNER_POOL_SIZE = 3;

/**
 * Fewest milliseconds between tenant reloads on a `notify_bell_tenants` wake-up: any database
 * role can send one, as often as it likes.
 */
const TENANT_RELOAD_INTERVAL_MS = 1_000;

/** Beyond the statement timeout, what a stream read may take to get a connection and answer. */
const READ_DEADLINE_MARGIN_MS = 5_000;

/** How long ended streams get to flush their last bytes on shutdown. */
const SHUTDOWN_GRACE_MS = 3_000;

/** Started first and outlives this process unless stopped: a failed start stops it. */
let embedded: EmbeddedDatabase | undefined;

/**
 * Postgres (embedded unless DATABASE_URL is set) → migrations → tenant cache → listener →
 * HTTP. SIGTERM/SIGINT: stop accepting, end every stream with a `shutdown` close event so
 * clients reconnect (to another instance, or this one restarted) and resume from their
 * Last-Event-ID, then stop. A failed start prints its cause, stops what it started and exits 1.
 */
export function runServer(
  extend: (context: ExtensionContext) => Extension | undefined = () => undefined,
): void {
  start(extend).catch(async (error) => {
    // A failed start stops what it started: nothing may keep the data folder or its port.
    await embedded?.stop().catch(() => {});
    console.error(`notify-bell: failed to start: ${describeStartupFailure(error)}`);
    process.exit(1);
  });
}

async function start(extend: (context: ExtensionContext) => Extension | undefined) {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`notify-bell: bad configuration: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);

  embedded = config.databaseUrl
    ? undefined
    : new EmbeddedDatabase(config.dataDir, config.embeddedPgPort, log, { supervise: true });
  await embedded?.start();
  const databaseUrl = config.databaseUrl ?? (embedded as EmbeddedDatabase).ownerUrl;

  await runMigrations(databaseUrl).catch((error: unknown) => {
    const where = config.databaseUrl ? "the database at DATABASE_URL" : "the embedded database";
    throw new StartupError(`migrating ${where} failed: ${describeStartupFailure(error)}`);
  });
  // Requests run as the restricted role; the owner pool serves only the cross-tenant jobs.
  const { sql, db } = createDatabase(databaseUrl, config.dbPoolSize, {
    role: APP_ROLE,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    lockTimeoutMs: config.dbLockTimeoutMs,
  });
  shareTenants(db, new TenantGate(config.dbConnectionsPerTenant));
  const owner = createDatabase(databaseUrl, OWNER_POOL_SIZE);
  const [me] = await owner.sql`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`;
  if (me?.rolsuper) {
    log.warn(
      "DATABASE_URL connects as a superuser: give notify-bell a role of its own (docs/operations.md, the database owner)",
    );
  }
  const directory = new TenantDirectory(owner.sql, log);
  await directory.reload();

  const metrics = createMetrics({ tenantLabels: config.metricsTenantLabels });
  const hub = new Hub({
    metrics: metrics.streams,
    // Postgres ends a read at the statement timeout; one unanswered well past it is not coming.
    changeLog: createChangeLog(
      sql,
      owner.sql,
      metrics.streams,
      config.dbStatementTimeoutMs + READ_DEADLINE_MARGIN_MS,
    ),
    log,
    heartbeatMs: config.heartbeatMs,
    retryMs: config.retryMs,
    replayLimit: config.replayLimit,
    maxStreamsPerUser: config.limits.enabled
      ? config.limits.maxStreamsPerUser
      : Number.POSITIVE_INFINITY,
  });
  const listener = new Listener({
    url: config.listenUrl ?? databaseUrl,
    probeMs: config.listenerProbeMs,
    log,
    handlers: {
      tick: () => hub.onTick(),
      tenantsChanged: rateLimited(() => {
        directory.reload().catch((error) => log.warn("tenant reload failed", errorFields(error)));
      }, TENANT_RELOAD_INTERVAL_MS),
      caughtUp: () => hub.catchUp(),
    },
  });
  // A deleted or disabled tenant, or a retired secret, ends the streams it authorised.
  directory.onChange(() =>
    hub.closeWhere((stream) => revocationReason(directory, stream.tenantId, stream.keyId)),
  );
  const ticker = new Ticker({
    url: databaseUrl,
    log,
    minPollMs: 1,
    maxPollMs: config.tickPollMs,
    keepTicksMs: config.tickRetentionMs,
    deadlineMs: config.dbStatementTimeoutMs + READ_DEADLINE_MARGIN_MS,
  });
  await listener.start();
  ticker.start();
  hub.start();
  const retention = new RetentionJob(owner.sql, log, config.retentionIntervalMs);
  retention.start();
  const snoozes = new SnoozeWakeJob(owner.sql, log, config.snoozePollMs);
  snoozes.start();
  const webhooks = new WebhookSender(owner.sql, log, config.webhooks);
  webhooks.start();

  const extension = extend({ config, databaseUrl, log });
  const app = createApp({
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
  });
  if (extension) app.use(extension.routes);
  try {
    app.listen({ port: config.port, hostname: config.host });
  } catch (error) {
    if (!isAddressInUse(error)) throw error;
    throw new StartupError(
      `port ${config.port} on ${config.host} is in use by another program: set PORT to a free port`,
    );
  }
  const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${app.server?.port}`;
  const banner = await extension?.start(url);
  // The extension may have written tenants (the demo does): serve them from the first request.
  if (extension) await directory.reload();
  const passwordFile = join(config.dataDir, "owner-password");
  const database = embedded ? withoutPassword(databaseUrl) : "DATABASE_URL";
  log.info("notify-bell listening", {
    url,
    docs: `${url}/docs`,
    database,
    ...(embedded ? { databasePasswordFile: passwordFile } : {}),
  });
  console.error(`\n  notify-bell  ${url}\n  API docs     ${url}/docs`);
  if (embedded) {
    console.error(
      `  Postgres     ${database}   (embedded; data in ${config.dataDir}/, password in ${passwordFile})`,
    );
  }
  if (banner) console.error(banner);
  console.error("");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal, openStreams: hub.openStreams });
    retention.stop();
    snoozes.stop();
    webhooks.stop();
    hub.closeAll("shutdown");
    // Let the close events flush; a client that reads nothing is cut off after the grace.
    const server = app.server;
    await Promise.race([server?.stop(false), Bun.sleep(SHUTDOWN_GRACE_MS)]);
    await server?.stop(true);
    await extension?.stop();
    await listener.stop();
    directory.stop();
    await ticker.stop();
    await sql.end({ timeout: 5 });
    await owner.sql.end({ timeout: 5 });
    await embedded?.stop();
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
