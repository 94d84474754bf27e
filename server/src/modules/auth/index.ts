import { Elysia } from "elysia";
import { ApiError } from "../../http/api-error.ts";
import { bearerToken } from "./bearer.ts";
import { queryTokens } from "./query-token.ts";
import { type TokenRules, type User, verifyUserToken } from "./user-token.ts";

export type { TokenRules, User } from "./user-token.ts";

/**
 * Adds `user` to the routes of whichever module uses it. The token comes from
 * `Authorization: Bearer`; with `allowQueryToken`, also from `?token=` (for plain
 * EventSource, which cannot set headers). Request logs never include the query string.
 */
export function userAuth(rules: TokenRules, { allowQueryToken = false } = {}) {
  return new Elysia().derive(
    { as: "scoped" },
    async ({ headers, request }): Promise<{ user: User }> => {
      let token = bearerToken(headers.authorization);
      if (token === undefined && allowQueryToken) {
        const fromQuery = queryTokens(request.url);
        if (fromQuery.length > 1) {
          throw new ApiError(400, "invalid_request", "send one ?token=, not several");
        }
        token = fromQuery[0];
      }
      if (!token) {
        throw new ApiError(
          401,
          "unauthorized",
          "send the user token as Authorization: Bearer <jwt>",
        );
      }
      return { user: await verifyUserToken(token, rules) };
    },
  );
}
