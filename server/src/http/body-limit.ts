import { Elysia } from "elysia";
import { errorBody } from "./api-error.ts";

/** Deepest nesting of arrays and objects a JSON body may have. */
export const MAX_JSON_DEPTH = 32;

/**
 * Refuses a body over `maxBytes` from its Content-Length, before anything reads it, with the
 * JSON error. Bun's own `maxRequestBodySize` is set to twice this (see `app.ts`) as the
 * backstop for bodies sent without a length; past that Bun answers a bare 413.
 *
 * Also refuses JSON nested deeper than `MAX_JSON_DEPTH`, before it is parsed: outside
 * production, Elysia's validation error pretty-prints the whole value it refused, which costs
 * the square of the depth (10 KB of `[` blocked the process for seconds), and Postgres gives
 * up on deep `jsonb` with an error of its own.
 */
export function bodyLimit(maxBytes: number) {
  return new Elysia({ name: "body-limit", seed: maxBytes }).onRequest(async ({ request, set }) => {
    const length = Number(request.headers.get("content-length") ?? 0);
    if (length > maxBytes) {
      set.status = 413;
      return errorBody("payload_too_large", `request bodies are limited to ${maxBytes} bytes`);
    }
    // GET and HEAD carry no body: the stream's opens skip reading one.
    if (request.method === "GET" || request.method === "HEAD") return;
    const type = request.headers.get("content-type") ?? "";
    if (request.body && (type === "" || /json/i.test(type))) {
      if (jsonDepth(await request.clone().text()) > MAX_JSON_DEPTH) {
        set.status = 400;
        return errorBody(
          "invalid_request",
          `JSON bodies may be nested at most ${MAX_JSON_DEPTH} levels deep`,
        );
      }
    }
  });
}

/** Deepest nesting of `[` and `{` outside strings; linear, and never fails on bad JSON. */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}
