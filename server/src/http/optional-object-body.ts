import { ApiError } from "./api-error.ts";

/**
 * A route's `transform` for a body that may be left out but, when sent, must be a JSON object.
 * Elysia checks an optional body against its schema only when it is a non-empty object, after
 * copying a string's characters into one: "a string", 42, [] or null would pass unchecked
 * (read-all then marked everything read). This runs before that, on the body as parsed.
 */
export function refuseNonObjectBody({ body }: { body: unknown }): void {
  if (body !== undefined && (typeof body !== "object" || body === null || Array.isArray(body))) {
    throw new ApiError(400, "invalid_request", "body: Expected an object, or no body");
  }
}
