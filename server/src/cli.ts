import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { getSchemaValidator } from "elysia";
import { type Config, ConfigError, loadConfig } from "./config.ts";
import { createDatabase, type Database, type Sql } from "./db/client.ts";
import { EmbeddedDatabase } from "./db/embedded.ts";
import { runMigrations } from "./db/migrate.ts";
import { ApiError } from "./http/api-error.ts";
import { createLogger, type Logger } from "./log.ts";
import {
  deleteTenant,
  rotateApiKey,
  rotateSigningSecret,
  setDisabled,
} from "./modules/tenants/lifecycle.ts";
import {
  type CreateTenantInput,
  createTenantBody,
  DEFAULT_OVERLAP_SECONDS,
  MAX_OVERLAP_SECONDS,
} from "./modules/tenants/model.ts";
import { createTenant, listTenants } from "./modules/tenants/service.ts";

/**
 * `npm run notify -- <command>`: tenant administration from a shell, on the database the
 * server uses. Results go to stdout as JSON (so `npm run --silent notify ... | jq` works);
 * messages and logs go to stderr.
 *
 * Exit codes are a contract for scripts: 0 done, 1 the command failed (the tenant exists,
 * the database is down), 2 the command was wrong (usage, bad input, bad configuration).
 */

const usage = `Usage: npm run notify -- <command> [options]

Commands:
  tenant create --id <id> --name <name> [--origin <origin>]...
      Create a tenant and print it as JSON, with its signingSecret and apiKey.
      They are shown this once only (just a hash of the API key is stored).
        --id      lowercase letters, digits, - and _ (up to 63; starts with a letter or digit)
        --name    display name, 1 to 200 characters
        --origin  exact origin whose pages may use the API, like https://app.example.com;
                  repeat for several (up to 50)

  tenant list
      Print every tenant as JSON: id, name, allowed origins, creation time. No secrets.

  tenant rotate-secret --id <id> [--overlap <seconds>]
  tenant rotate-key --id <id> [--overlap <seconds>]
      Replace the tenant's signing secret (or API key) and print the new one as JSON, shown
      this once. The old one is still accepted for --overlap seconds (default ${DEFAULT_OVERLAP_SECONDS},
      at most ${MAX_OVERLAP_SECONDS}; 0 retires it at once, as after a leak). Streams opened with a
      retired secret end with close reason token_revoked.

  tenant disable --id <id>
  tenant enable --id <id>
      Disable a tenant (its tokens and API key are refused, its streams end, its database
      roles cannot log in; its data is kept), or enable it again.

  tenant delete --id <id>
      Delete a tenant, all its notifications and database roles. Its id can never be used
      again. Cannot be undone.

Database: DATABASE_URL when set; otherwise the embedded Postgres in NOTIFY_DATA_DIR
(default .data), used as it is when a running server already started it.

Exit codes: 0 done, 1 failed (for example, the tenant exists), 2 bad usage or input.
`;

class UsageError extends Error {}

type LifecycleAction = "rotate-secret" | "rotate-key" | "disable" | "enable" | "delete";

type Command =
  | { name: "help" }
  | { name: "list" }
  | { name: "create"; input: CreateTenantInput }
  | { name: LifecycleAction; id: string; overlapSeconds: number };

const lifecycleActions: readonly LifecycleAction[] = [
  "rotate-secret",
  "rotate-key",
  "disable",
  "enable",
  "delete",
];

const tenantInput = getSchemaValidator(createTenantBody);
const flagOf: Record<string, string> = { id: "--id", name: "--name", allowedOrigins: "--origin" };

function parseCommand(args: string[]): Command {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { name: "help" };
  const command = positionals.join(" ");
  if (command === "tenant list") {
    const extra = (["id", "name", "origin", "overlap"] as const).find(
      (key) => values[key] !== undefined,
    );
    if (extra) throw new UsageError(`tenant list takes no --${extra}`);
    return { name: "list" };
  }
  if (command === "tenant create") {
    if (values.id === undefined) throw new UsageError("tenant create needs --id");
    if (values.name === undefined) throw new UsageError("tenant create needs --name");
    if (values.overlap !== undefined) throw new UsageError("tenant create takes no --overlap");
    const input = { id: values.id, name: values.name, allowedOrigins: values.origin ?? [] };
    const [first] = tenantInput.Errors(input);
    if (first) {
      const field = first.path.split("/")[1] ?? "";
      throw new UsageError(`${flagOf[field] ?? field}: ${first.message}`);
    }
    return { name: "create", input };
  }
  const action = lifecycleActions.find((name) => command === `tenant ${name}`);
  if (action) return lifecycleCommand(action, values);
  throw new UsageError(command ? `unknown command "${command}"` : "no command given");
}

function lifecycleCommand(
  action: LifecycleAction,
  values: ReturnType<typeof parse>["values"],
): Command {
  if (values.id === undefined) throw new UsageError(`tenant ${action} needs --id`);
  const extra = (["name", "origin"] as const).find((key) => values[key] !== undefined);
  if (extra) throw new UsageError(`tenant ${action} takes no --${extra}`);
  const rotates = action === "rotate-secret" || action === "rotate-key";
  if (values.overlap !== undefined && !rotates) {
    throw new UsageError(`tenant ${action} takes no --overlap`);
  }
  const overlap = values.overlap ?? String(DEFAULT_OVERLAP_SECONDS);
  if (!/^\d+$/.test(overlap) || Number(overlap) > MAX_OVERLAP_SECONDS) {
    throw new UsageError(`--overlap: a whole number of seconds from 0 to ${MAX_OVERLAP_SECONDS}`);
  }
  return { name: action, id: values.id, overlapSeconds: Number(overlap) };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      id: { type: "string" },
      name: { type: "string" },
      origin: { type: "string", multiple: true },
      overlap: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

async function run(command: Exclude<Command, { name: "help" }>, sql: Sql, db: Database) {
  const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));
  switch (command.name) {
    case "create":
      print(await createTenant(db, command.input));
      console.error("notify: store signingSecret and apiKey now; they cannot be shown again.");
      return;
    case "list":
      print(await listTenants(db));
      return;
    case "rotate-secret":
      print(await rotateSigningSecret(sql, command.id, command.overlapSeconds));
      console.error("notify: store signingSecret now; it cannot be shown again.");
      return;
    case "rotate-key":
      print(await rotateApiKey(sql, command.id, command.overlapSeconds));
      console.error("notify: store apiKey now; it cannot be shown again.");
      return;
    case "disable":
    case "enable":
      print(await setDisabled(sql, command.id, command.name === "disable"));
      return;
    case "delete":
      await deleteTenant(sql, command.id);
      print({ id: command.id, deleted: true });
      return;
  }
}

/**
 * Runs `work` on the server's database, migrated. The embedded Postgres may already be
 * running under a live server: then it is used as is, because starting it here would stop
 * the server's (see `EmbeddedDatabase`, which restarts a running postmaster it finds).
 * Otherwise it is started for this command and stopped after.
 */
async function withDatabase(
  config: Config,
  log: Logger,
  work: (sql: Sql, db: Database) => Promise<void>,
) {
  const embedded = config.databaseUrl
    ? undefined
    : new EmbeddedDatabase(config.dataDir, config.embeddedPgPort, log);
  const ownsEmbedded = embedded !== undefined && !postmasterIsRunning(config.dataDir);
  if (ownsEmbedded) await embedded.start();
  try {
    const url = config.databaseUrl ?? (embedded as EmbeddedDatabase).ownerUrl;
    await runMigrations(url);
    const { sql, db } = createDatabase(url, 1);
    try {
      await work(sql, db);
    } finally {
      await sql.end({ timeout: 5 });
    }
  } finally {
    if (ownsEmbedded) await embedded.stop();
  }
}

/** Whether `postmaster.pid` in the embedded data folder names a live postgres process. */
function postmasterIsRunning(dataDir: string): boolean {
  const pidFile = resolve(dataDir, "postgres", "postmaster.pid");
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // Make sure the pid was not reused by another program, where /proc can tell.
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("postgres");
  } catch {
    return !existsSync("/proc/self");
  }
}

async function main(args: string[]): Promise<number> {
  let command: Command;
  let config: Config;
  try {
    command = parseCommand(args);
    if (command.name === "help") {
      console.log(usage);
      return 0;
    }
    config = loadConfig();
  } catch (error) {
    if (error instanceof UsageError) console.error(`notify: ${error.message}\n\n${usage}`);
    else if (error instanceof ConfigError)
      console.error(`notify: bad configuration: ${error.message}`);
    else throw error;
    return 2;
  }
  // Logs go to stderr: stdout carries only the command's JSON.
  const log = createLogger(config.logLevel, (line) => console.error(line));
  try {
    await withDatabase(config, log, (sql, db) => run(command, sql, db));
    return 0;
  } catch (error) {
    if (error instanceof ApiError) {
      console.error(`notify: ${error.message}`);
      return error.status === 400 ? 2 : 1;
    }
    console.error(`notify: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

process.exit(await main(process.argv.slice(2)));
