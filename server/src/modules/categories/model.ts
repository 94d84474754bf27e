import { t } from "elysia";
import { categoryLimits, languageTagPattern } from "../../db/schema/index.ts";
import { categoryJson } from "../../notification-json.ts";

/** A category's key in a path (URL-encoded by the caller): what notifications carry. */
export const categoryParams = t.Object({
  id: t.String(),
  key: t.String({ minLength: 1, maxLength: categoryLimits.key }),
});

/** Declares a category, or replaces an existing one's labels, position and mutability. */
export const categoryBody = t.Object(
  {
    labels: t.Record(
      t.String({ pattern: languageTagPattern }),
      t.String({ minLength: 1, maxLength: categoryLimits.label }),
      {
        // Without it, a Record with a key pattern lets any other key through to the database.
        additionalProperties: false,
        minProperties: 1,
        maxProperties: categoryLimits.languages,
        description: `Language tag to label (1–${categoryLimits.languages}); labels are shown as text, with no control characters`,
      },
    ),
    position: t.Optional(
      t.Integer({
        minimum: 0,
        maximum: categoryLimits.position,
        description: "Tabs are ordered by position, then key (default 0)",
      }),
    ),
    mutable: t.Optional(t.Boolean({ description: "Whether users may turn it off (default true)" })),
  },
  { additionalProperties: false },
);

export const categoryList = t.Object({ categories: t.Array(categoryJson) });

export type CategoryInput = typeof categoryBody.static;
