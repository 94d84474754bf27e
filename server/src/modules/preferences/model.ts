import { t } from "elysia";
import { categoryLimits } from "../../db/schema/index.ts";
import { countsJson, preferenceJson } from "../../notification-json.ts";

/** At most one entry per category a tenant may declare. */
export const MAX_PREFERENCES = categoryLimits.perTenant;

export const preferencesBody = t.Object(
  {
    preferences: t.Array(
      t.Object(
        {
          category: t.String({ minLength: 1, maxLength: categoryLimits.key }),
          inInbox: t.Boolean(),
          asToast: t.Boolean(),
        },
        { additionalProperties: false },
      ),
      {
        minItems: 1,
        maxItems: MAX_PREFERENCES,
        description:
          "The categories to set, each once; the others keep their setting. Only a mutable category may be turned off.",
      },
    ),
  },
  { additionalProperties: false },
);

export const preferencesView = t.Object({
  preferences: t.Array(preferenceJson, {
    description: "One per declared category, in tab order, defaults (on) filled in",
  }),
});

export const preferencesChanged = t.Composite([preferencesView, countsJson]);

export type PreferencesInput = (typeof preferencesBody.static)["preferences"];
