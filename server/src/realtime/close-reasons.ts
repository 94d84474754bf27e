/**
 * Why the server ended a stream. Sent as the last event (`event: close`, data
 * `{"reason", "retry"}`) before the response ends, and logged.
 *
 * `retry: true` means reconnecting (with Last-Event-ID) is the right move; `retry: false`
 * means the same request will fail again until something changes (a fresh token).
 */
export const closeReasons = {
  /** The server is shutting down; another instance (or this one, restarted) will serve. */
  shutdown: { retry: true },
  /** The client did not read fast enough and its buffer filled up. */
  slow_consumer: { retry: true },
  /** The database was unreachable while reading this stream's changes. */
  database_unavailable: { retry: true },
  /** The token's `exp` has passed: reconnect with a fresh token. */
  token_expired: { retry: false },
  /** Streams were opened too fast (per user or per tenant); `retry:` says how long to wait. */
  rate_limited: { retry: true },
  /** The user opened more streams than allowed; the oldest is closed for good. */
  stream_limit: { retry: false },
  /** The secret that signed the token was rotated out: reconnect with a token signed anew. */
  token_revoked: { retry: false },
  /** The operator disabled the tenant. */
  tenant_disabled: { retry: false },
  /** The operator deleted the tenant; its id will never name a tenant again. */
  tenant_deleted: { retry: false },
} as const;

export type CloseReason = keyof typeof closeReasons;
