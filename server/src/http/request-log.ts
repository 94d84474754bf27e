import { Elysia } from "elysia";
import type { Logger } from "../log.ts";

/**
 * One line per request: method, path, status, duration. The path only: query strings can
 * hold `?token=`, and tokens never reach the logs.
 */
export function requestLog(log: Logger) {
  return new Elysia({ name: "request-log" })
    .derive({ as: "global" }, () => ({ startedAt: performance.now() }))
    .onAfterResponse({ as: "global" }, ({ request, path, set, startedAt }) => {
      log.info("request", {
        method: request.method,
        path,
        status: set.status,
        ms:
          startedAt === undefined
            ? undefined
            : Math.round((performance.now() - startedAt) * 10) / 10,
      });
    });
}
