import { t } from "elysia";
import { groupKeyPattern, limits } from "../../db/schema/index.ts";

export const MAX_RECIPIENTS = 1_000;

/** Same limits as the table's CHECK constraints, so SQL and HTTP refuse the same rows. */
export const publishBody = t.Object(
  {
    recipients: t.Array(t.String({ minLength: 1, maxLength: limits.recipient }), {
      minItems: 1,
      maxItems: MAX_RECIPIENTS,
    }),
    title: t.String({ minLength: 1, maxLength: limits.title }),
    body: t.Optional(t.Nullable(t.String({ maxLength: limits.body }))),
    url: t.Optional(
      t.Nullable(
        t.String({ maxLength: limits.url, description: "http(s) URL or a path starting with /" }),
      ),
    ),
    category: t.Optional(t.Nullable(t.String({ minLength: 1, maxLength: limits.category }))),
    expiresAt: t.Optional(
      t.Nullable(
        t.String({
          format: "date-time",
          description: "ISO 8601; gone from lists, counts and streams after it",
        }),
      ),
    ),
    actor: t.Optional(
      t.Nullable(
        t.Object(
          {
            name: t.String({ minLength: 1, maxLength: limits.actorName }),
            avatarUrl: t.Optional(
              t.Nullable(
                t.String({
                  maxLength: limits.url,
                  description: "https URL or a path starting with /; shown at 32 px",
                }),
              ),
            ),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    actions: t.Optional(
      t.Nullable(
        t.Array(
          t.Object(
            {
              id: t.String({ pattern: `^[A-Za-z0-9_.:-]{1,${limits.actionId}}$` }),
              label: t.String({ minLength: 1, maxLength: limits.actionLabel }),
              url: t.Optional(
                t.String({
                  maxLength: limits.actionUrl,
                  description: "http(s) URL or a path starting with /; opened after recording",
                }),
              ),
              style: t.Optional(t.UnionEnum(["primary", "secondary"])),
            },
            { additionalProperties: false },
          ),
          { minItems: 1, maxItems: limits.actions, description: "Up to two buttons" },
        ),
      ),
    ),
    groupKey: t.Optional(
      t.Nullable(
        t.String({
          pattern: groupKeyPattern,
          description:
            "Letters, digits and _ . : / - (1-128): a recipient's unread items with the same key are one inbox row and count as one",
        }),
      ),
    ),
    // Checked in the service: Elysia would coerce an array into an object here.
    data: t.Optional(t.Unknown({ description: "Any JSON object (not an array)" })),
  },
  { additionalProperties: false },
);

export const publishHeaders = t.Object({
  "idempotency-key": t.Optional(t.String({ minLength: 1, maxLength: 200 })),
});

export const publishResponse = t.Object({
  ids: t.Array(t.String(), { description: "One id per distinct recipient, in request order" }),
});

export type PublishInput = typeof publishBody.static;
export type PublishResult = typeof publishResponse.static;
