/**
 * The one error shape every endpoint answers with: `{ "error": { "code", "message" } }`.
 * Codes are part of the API contract (listed in docs/http-api.md, "Errors"); messages are for people.
 */
export type ErrorCode =
  | "invalid_request"
  | "invalid_json"
  | "payload_too_large"
  | "unsupported_media_type"
  | "method_not_allowed"
  | "unauthorized"
  | "invalid_token"
  | "token_expired"
  | "tenant_disabled"
  | "not_found"
  | "conflict"
  | "idempotency_conflict"
  | "rate_limited"
  | "database_unavailable"
  | "database_busy"
  | "tenant_busy"
  | "internal";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toJSON() {
    return { error: { code: this.code, message: this.message } };
  }
}

export function errorBody(code: ErrorCode, message: string) {
  return { error: { code, message } };
}
