import { Elysia } from "elysia";
import type { Database } from "../../db/client.ts";
import type { RateLimits } from "../../http/rate-limits.ts";
import { type TokenRules, userAuth } from "../auth/index.ts";
import { preferencesBody, preferencesChanged, preferencesView } from "./model.ts";
import { getPreferences, setPreferences } from "./service.ts";

/** `GET/PUT /v1/preferences`: the user's own preferences per category. */
export function preferencesModule(db: Database, tokens: TokenRules, limits: RateLimits) {
  const detail = (summary: string) => ({
    summary,
    tags: ["inbox"],
    security: [{ userToken: [] }],
  });
  return new Elysia({ name: "preferences", prefix: "/v1/preferences" })
    .use(userAuth(tokens))
    .get("", ({ user }) => getPreferences(db, user), {
      response: preferencesView,
      detail: detail("The user's preferences, one per category"),
    })
    .put(
      "",
      async ({ user, body }) => {
        // A write wakes every stream of the user: it counts against their write budget.
        await limits.userWrite(user.tenantId, user.recipient);
        return setPreferences(db, user, body.preferences);
      },
      {
        body: preferencesBody,
        response: preferencesChanged,
        detail: detail(
          "Set preferences for some categories (in the inbox, as toasts); answers the whole set and the counts",
        ),
      },
    );
}
