import { Elysia } from "elysia";
import { errorFields, type Logger } from "../log.ts";
import { ApiError, errorBody } from "./api-error.ts";

/** Postgres errors caused by the data sent, not by the server: answered 400. */
const badInputCodes: Record<string, string> = {
  "23514": "a value breaks a limit",
  "23502": "a required value is missing",
  "23503": "a referenced row does not exist",
  "22001": "a value is too long",
  "22P02": "a value has the wrong type",
  "22P05": "a value holds a character Postgres cannot store",
  "22021": "a value is not valid UTF-8",
  "54000": "a value is too large",
};

const unavailableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECT_TIMEOUT",
  "57P01",
  "57P03",
]);

/**
 * A request's query waited too long for a lock or ran too long (the request pool's
 * `lock_timeout` and `statement_timeout`): answered 503, so the client retries, and the
 * connection goes back to the pool instead of waiting on someone else's transaction.
 */
const busyCodes = new Set(["55P03", "57014"]);

/**
 * Maps every failure to `{ "error": { "code", "message" } }`. Validation is 400 (not the
 * framework's 422) because one code for "your input is wrong" is easier on clients.
 */
export function errorHandler(log: Logger, methodsAt: (path: string) => string[] = () => []) {
  return new Elysia({ name: "error-handler" }).onError(
    { as: "global" },
    ({ code, error, set, path }) => {
      if (error instanceof ApiError) {
        set.status = error.status;
        Object.assign(set.headers, error.headers);
        return error.toJSON();
      }
      switch (code) {
        case "VALIDATION":
          set.status = 400;
          return errorBody("invalid_request", validationMessage(error));
        case "PARSE":
          set.status = 400;
          return errorBody("invalid_json", "the request body is not valid JSON");
        case "NOT_FOUND": {
          const allowed = methodsAt(path);
          if (allowed.length > 0) {
            set.status = 405;
            set.headers.allow = allowed.join(", ");
            return errorBody("method_not_allowed", `${path} answers ${allowed.join(", ")}`);
          }
          set.status = 404;
          return errorBody("not_found", "no such endpoint");
        }
        case "INVALID_COOKIE_SIGNATURE":
        case "INVALID_FILE_TYPE":
          set.status = 400;
          return errorBody("invalid_request", String((error as Error).message));
      }
      const pgError = postgresError(error);
      const pgCode = pgError.code;
      if (pgCode && pgCode in badInputCodes) {
        set.status = 400;
        const detail = pgError.constraint_name;
        return errorBody(
          "invalid_request",
          `${badInputCodes[pgCode]}${detail ? ` (${detail})` : ""}`,
        );
      }
      if (pgCode && busyCodes.has(pgCode)) {
        log.warn("request query timed out", { path, code: pgCode });
        set.status = 503;
        set.headers["retry-after"] = "1";
        return errorBody("database_busy", "the data is busy; retry shortly");
      }
      if (pgCode && unavailableCodes.has(pgCode)) {
        set.status = 503;
        set.headers["retry-after"] = "2";
        return errorBody("database_unavailable", "the database is unavailable; retry shortly");
      }
      if (isOversizedBody(error)) {
        // A client's doing, not a fault of ours: a body sent without a length (chunked) ran
        // past Bun's backstop (`maxRequestBodySize`) while it was being read.
        log.warn("request body too large", { path });
        set.status = 413;
        return errorBody("payload_too_large", "the request body is too large");
      }
      log.error("unhandled error", { path, ...errorFields(error) });
      set.status = 500;
      return errorBody("internal", "internal error");
    },
  );
}

/** Bun's refusal of a body past `maxRequestBodySize`; it has no code, only this message. */
function isOversizedBody(error: unknown): boolean {
  return error instanceof Error && error.message.includes("exceeded maxRequestBodySize");
}

/**
 * The driver's error behind `error`: Drizzle wraps what postgres.js throws in a
 * `DrizzleQueryError` whose `cause` is the original, with its SQLSTATE `code`.
 */
function postgresError(error: unknown): { code?: string; constraint_name?: string } {
  let current = error as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; depth < 3 && current; depth++) {
    if (typeof current.code === "string") return current as { code: string };
    current = current.cause as typeof current;
  }
  return {};
}

/**
 * From TypeBox's first error (`valueError`: a JSON pointer and a fixed message), never from
 * Elysia's summaries (`all`), which render the refused value into a string and throw for
 * JSON such as `{"toString":{}}`.
 */
function validationMessage(error: unknown): string {
  const e = error as { type?: string; valueError?: { path?: string; message?: string } };
  const where = e.type ?? "request";
  const first = e.valueError;
  if (first) return `${where}${first.path ?? ""}: ${first.message ?? "invalid"}`;
  return `invalid ${where}`;
}
