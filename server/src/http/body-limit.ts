import { Elysia } from "elysia";
import { errorBody } from "./api-error.ts";

/**
 * Refuses a body over `maxBytes` from its Content-Length, before anything reads it. Bodies
 * without a length (chunked) are capped by Bun's `maxRequestBodySize`, set to the same limit.
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
