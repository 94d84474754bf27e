import { Elysia } from "elysia";
import { errorBody } from "./api-error.ts";

const methodsWithBodies = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Request bodies are JSON only (the documented contract): any other media type is refused
 * with 415 before it is read. Elysia would otherwise parse forms and multipart bodies into
 * the same objects, an input path nobody tests.
 */
export function jsonOnly() {
  return new Elysia({ name: "json-only" }).onRequest(({ request, set }) => {
    if (!methodsWithBodies.has(request.method)) return;
    const length = request.headers.get("content-length");
    const hasBody = (length !== null && length !== "0") || request.headers.has("transfer-encoding");
    if (!hasBody) return;
    const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
    if (type === "application/json") return;
    set.status = 415;
    set.headers.accept = "application/json";
    return errorBody(
      "unsupported_media_type",
      `request bodies must be JSON (Content-Type: application/json), not ${type ?? "untyped"}`,
    );
  });
}
