import { Elysia } from "elysia";
import { errorBody } from "./api-error.ts";

/**
 * Refuses a body over `maxBytes` from its Content-Length, before anything reads it, with the
 * JSON error. Bun's own `maxRequestBodySize` is set to twice this (see `app.ts`) as the
 * backstop for bodies sent without a length; past that Bun answers a bare 413.
 */
export function bodyLimit(maxBytes: number) {
  return new Elysia({ name: "body-limit", seed: maxBytes }).onRequest(({ request, set }) => {
    const length = Number(request.headers.get("content-length") ?? 0);
    if (length > maxBytes) {
      set.status = 413;
      return errorBody("payload_too_large", `request bodies are limited to ${maxBytes} bytes`);
    }
  });
}
