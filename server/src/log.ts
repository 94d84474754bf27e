/**
 * Structured logs: one JSON object per line on stdout.
 * Callers pass fields, never whole requests: a URL may carry `?token=`, so request logging
 * uses the path only (see `http/request-log.ts`).
 */
import type { LogLevel } from "./config.ts";

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

export function createLogger(level: LogLevel, write = (line: string) => console.log(line)): Logger {
  const emit = (at: LogLevel, msg: string, fields?: Fields) => {
    if (rank[at] < rank[level]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...fields }));
  };
  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
  };
}

export function errorFields(error: unknown): Fields {
  if (error instanceof Error) return { error: error.message, errorName: error.name };
  return { error: String(error) };
}
