/**
 * Settings, read once from environment variables and validated at boot.
 * A bad value stops the process with a message naming the variable; nothing else in the
 * server reads `process.env`.
 */

export interface Config {
  port: number;
  host: string;
  /** External Postgres; when absent, an embedded Postgres is started under `dataDir`. */
  databaseUrl: string | undefined;
  /**
   * A direct (session) connection for LISTEN, for when DATABASE_URL goes through a
   * transaction-pooling PgBouncer, where LISTEN does not work. Defaults to DATABASE_URL.
   */
  listenUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  adminToken: string | undefined;
  /** Bearer token for `/metrics`; unset, `/metrics` answers 401. */
  metricsToken: string | undefined;
  /** Label `notify_open_streams` with tenant ids (off: they are not everyone's business). */
  metricsTenantLabels: boolean;
  /** Longest a user token may still live when it is presented (`exp - now`), in seconds. */
  maxTokenLifetimeSeconds: number;
  heartbeatMs: number;
  retryMs: number;
  streamBufferBytes: number;
  replayLimit: number;
  listenerProbeMs: number;
  /** The ticker's poll interval when nothing changes (it polls every 1 ms right after a change). */
  tickPollMs: number;
  /** How long ticks, and so resumable stream cursors, are kept. */
  tickRetentionMs: number;
  maxBodyBytes: number;
  retentionIntervalMs: number;
  /** How often snoozed notifications whose time has come are brought back. */
  snoozePollMs: number;
  dbPoolSize: number;
  /** Every query made for a request ends after this long (Postgres `statement_timeout`). */
  dbStatementTimeoutMs: number;
  /** A request's query gives up waiting for a row or table lock after this long. */
  dbLockTimeoutMs: number;
  /** Request transactions one tenant may hold at once, so the rest keep their share of the pool. */
  dbConnectionsPerTenant: number;
  /** The webhook sender (`webhooks/webhook-sender.ts`). */
  webhooks: { pollMs: number; firstRetryMs: number; timeoutMs: number };
  /** What every tenant database role is created with (`POST …/database-roles`). */
  tenantRoles: TenantRoleLimits;
  logLevel: LogLevel;
  limits: Limits;
  /** Where the built widget lives (`widget/dist`). */
  widgetDir: string;
  /** Serve the demo site (`demo/`) at `/`; on by default only with the embedded Postgres. */
  demo: boolean;
  /** Port of the demo's second origin (0: any free port). */
  demoSecondPort: number;
}

export type LogLevel = "debug" | "info" | "warn" | "error";

/** Abuse limits; `enabled: false` (NOTIFY_RATE_LIMITS=off) turns every one of them off. */
export interface Limits {
  enabled: boolean;
  publishPerTenantPerSecond: number;
  publishPerRecipientPerMinute: number;
  streamOpensPerTenantPerSecond: number;
  streamOpensPerUserPerMinute: number;
  maxStreamsPerUser: number;
  /** Mark read/unread/archive/read-all requests, counted across every instance. */
  userWritesPerUserPerMinute: number;
  userWritesPerTenantPerMinute: number;
}

/**
 * Limits on a tenant app's own database role. The connection limit is enforced by Postgres;
 * the timeouts are the role's defaults, which its own sessions could change (they bound
 * accidents, not attacks: the server's pool has its own timeouts).
 */
export interface TenantRoleLimits {
  connectionLimit: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionMs: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(", ")}, got "${raw}"`);
  }
  return raw as T;
}

function postgresUrl(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `${name} is not a valid URL (expected postgres://user:pass@host:port/db)`,
    );
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new ConfigError(`${name} must start with postgres:// or postgresql://`);
  }
  return raw;
}

function secretToken(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  if (raw.length < 16) throw new ConfigError(`${name} must be at least 16 characters`);
  return raw;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (raw !== "1" && raw !== "0") throw new ConfigError(`${name} must be 1 or 0, got "${raw}"`);
  return raw === "1";
}

/** Whether `host` only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = postgresUrl(env, "DATABASE_URL");
  const host = env.HOST || "127.0.0.1";
  const dbPoolSize = integer(env, "NOTIFY_DB_POOL_SIZE", 10, 1, 200);
  return {
    port: integer(env, "PORT", 3000, 0, 65535),
    host,
    databaseUrl,
    listenUrl: postgresUrl(env, "NOTIFY_LISTEN_URL"),
    dataDir: env.NOTIFY_DATA_DIR || ".data",
    embeddedPgPort: integer(env, "NOTIFY_EMBEDDED_PG_PORT", 54329, 1, 65535),
    adminToken: secretToken(env, "NOTIFY_ADMIN_TOKEN"),
    metricsToken: secretToken(env, "NOTIFY_METRICS_TOKEN"),
    metricsTenantLabels: flag(env, "NOTIFY_METRICS_TENANT_LABELS", false),
    maxTokenLifetimeSeconds: integer(
      env,
      "NOTIFY_MAX_TOKEN_LIFETIME_SECONDS",
      86_400,
      60,
      30 * 86_400,
    ),
    heartbeatMs: integer(env, "NOTIFY_HEARTBEAT_MS", 15_000, 100, 300_000),
    retryMs: integer(env, "NOTIFY_RETRY_MS", 2_000, 100, 300_000),
    streamBufferBytes: integer(
      env,
      "NOTIFY_STREAM_BUFFER_BYTES",
      256 * 1024,
      1024,
      64 * 1024 * 1024,
    ),
    replayLimit: integer(env, "NOTIFY_REPLAY_LIMIT", 1_000, 1, 1_000_000),
    listenerProbeMs: integer(env, "NOTIFY_LISTENER_PROBE_MS", 10_000, 100, 600_000),
    tickPollMs: integer(env, "NOTIFY_TICK_POLL_MS", 4, 1, 1_000),
    tickRetentionMs: integer(env, "NOTIFY_TICK_RETENTION_MS", 3_600_000, 60_000, 604_800_000),
    maxBodyBytes: integer(env, "NOTIFY_MAX_BODY_BYTES", 256 * 1024, 1024, 16 * 1024 * 1024),
    retentionIntervalMs: integer(env, "NOTIFY_RETENTION_INTERVAL_MS", 600_000, 1_000, 86_400_000),
    snoozePollMs: integer(env, "NOTIFY_SNOOZE_POLL_MS", 1_000, 100, 60_000),
    dbPoolSize,
    dbStatementTimeoutMs: integer(env, "NOTIFY_DB_STATEMENT_TIMEOUT_MS", 10_000, 100, 600_000),
    dbLockTimeoutMs: integer(env, "NOTIFY_DB_LOCK_TIMEOUT_MS", 2_000, 10, 600_000),
    dbConnectionsPerTenant: integer(
      env,
      "NOTIFY_DB_CONNECTIONS_PER_TENANT",
      Math.max(1, Math.ceil(dbPoolSize / 2)),
      1,
      dbPoolSize,
    ),
    webhooks: {
      pollMs: integer(env, "NOTIFY_WEBHOOK_POLL_MS", 1_000, 10, 600_000),
      firstRetryMs: integer(env, "NOTIFY_WEBHOOK_FIRST_RETRY_MS", 5_000, 10, 3_600_000),
      timeoutMs: integer(env, "NOTIFY_WEBHOOK_TIMEOUT_MS", 10_000, 100, 60_000),
    },
    tenantRoles: {
      connectionLimit: integer(env, "NOTIFY_TENANT_ROLE_CONNECTIONS", 10, 1, 10_000),
      statementTimeoutMs: integer(
        env,
        "NOTIFY_TENANT_ROLE_STATEMENT_TIMEOUT_MS",
        30_000,
        100,
        86_400_000,
      ),
      lockTimeoutMs: integer(env, "NOTIFY_TENANT_ROLE_LOCK_TIMEOUT_MS", 5_000, 10, 86_400_000),
      idleInTransactionMs: integer(
        env,
        "NOTIFY_TENANT_ROLE_IDLE_IN_TRANSACTION_MS",
        60_000,
        100,
        86_400_000,
      ),
    },
    logLevel: oneOf(env, "NOTIFY_LOG_LEVEL", "info", ["debug", "info", "warn", "error"] as const),
    limits: {
      enabled: oneOf(env, "NOTIFY_RATE_LIMITS", "on", ["on", "off"] as const) === "on",
      publishPerTenantPerSecond: integer(env, "NOTIFY_PUBLISH_PER_TENANT_PER_SECOND", 500, 1, 1e6),
      publishPerRecipientPerMinute: integer(
        env,
        "NOTIFY_PUBLISH_PER_RECIPIENT_PER_MINUTE",
        120,
        1,
        1e6,
      ),
      streamOpensPerTenantPerSecond: integer(
        env,
        "NOTIFY_STREAM_OPENS_PER_TENANT_PER_SECOND",
        5_000,
        1,
        1e6,
      ),
      streamOpensPerUserPerMinute: integer(
        env,
        "NOTIFY_STREAM_OPENS_PER_USER_PER_MINUTE",
        60,
        1,
        1e6,
      ),
      maxStreamsPerUser: integer(env, "NOTIFY_MAX_STREAMS_PER_USER", 20, 1, 10_000),
      userWritesPerUserPerMinute: integer(
        env,
        "NOTIFY_USER_WRITES_PER_USER_PER_MINUTE",
        120,
        1,
        1e6,
      ),
      userWritesPerTenantPerMinute: integer(
        env,
        "NOTIFY_USER_WRITES_PER_TENANT_PER_MINUTE",
        12_000,
        1,
        1e7,
      ),
    },
    widgetDir: env.NOTIFY_WIDGET_DIR || "widget/dist",
    // On by default only with the embedded Postgres on a loopback address: the demo lets
    // anyone who reaches it sign in as its users and insert rows.
    demo: flag(env, "NOTIFY_DEMO", databaseUrl === undefined && isLoopback(host)),
    demoSecondPort: integer(env, "NOTIFY_DEMO_SECOND_PORT", 3001, 0, 65535),
  };
}
