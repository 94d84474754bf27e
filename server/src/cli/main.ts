import { type Config, ConfigError, loadConfig } from "../config.ts";
import { ApiError } from "../http/api-error.ts";
import { createLogger } from "../log.ts";
import { type Command, parseCommand, UsageError, usage } from "./command.ts";
import { withDatabase } from "./database.ts";
import { runCommand } from "./run-command.ts";

/**
 * `npm run notify -- <command>`: tenant administration, and a user token or a notification
 * for trying a page out, from a shell, on the database the server uses. Results go to stdout
 * as JSON (so `npm run --silent notify ... | jq` works; `token` prints the token alone);
 * messages and logs go to stderr.
 *
 * Exit codes are a contract for scripts: 0 done, 1 the command failed (the tenant exists,
 * the database is down), 2 the command was wrong (usage, bad input, bad configuration).
 */
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
  // Logs go to stderr: stdout carries only the command's result.
  const log = createLogger(config.logLevel, (line) => console.error(line));
  try {
    await withDatabase(config, log, (sql, db) => runCommand(command, sql, db));
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
