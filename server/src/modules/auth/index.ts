import { Elysia } from "elysia";
import { ApiError } from "../../http/api-error.ts";
import type { TenantDirectory } from "../tenants/directory.ts";
import { bearerToken } from "./bearer.ts";
import { type User, verifyUserToken } from "./user-token.ts";

export type { User } from "./user-token.ts";

/**
 * Adds `user` to the routes of whichever module uses it. The token comes from
 * `Authorization: Bearer`; with `allowQueryToken`, also from `?token=` (for plain
 * EventSource, which cannot set headers). Request logs never include the query string.
 */
export function userAuth(directory: TenantDirectory, { allowQueryToken = false } = {}) {
  return new Elysia().derive(
    { as: "scoped" },
    async ({ headers, query }): Promise<{ user: User }> => {
      const fromQuery =
        allowQueryToken && typeof query.token === "string" ? query.token : undefined;
      const token = bearerToken(headers.authorization) ?? fromQuery;
      if (!token) {
        throw new ApiError(
          401,
          "unauthorized",
          "send the user token as Authorization: Bearer <jwt>",
        );
      }
      return { user: await verifyUserToken(token, directory) };
    },
  );
}
