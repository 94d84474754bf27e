import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { toOpenAPISchema } from "@elysiajs/openapi/openapi";
import { Elysia, t } from "elysia";
import { type OpenApiDocument, toContract } from "./api-contract.ts";
import { ApiError } from "./api-error.ts";

const OPENAPI_VERSION = "3.1.1";

/** The documentation UI's files, from the pinned swagger-ui-dist package: /docs needs no CDN. */
const swaggerUiDir = dirname(
  createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"),
);
const assets: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>notify-bell API</title>
    <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/assets/swagger-ui-bundle.js"></script>
    <script>SwaggerUIBundle({ url: "/docs/json", dom_id: "#swagger-ui" });</script>
  </body>
</html>
`;

/**
 * `/docs` (the UI, served from this server) and `/docs/json` (the OpenAPI document, made by
 * `api-contract.ts` from the routes as registered). The demo's routes are not the API.
 */
export function apiDocs(info: { title: string; version: string; description: string }) {
  let document: OpenApiDocument | undefined;
  const app = new Elysia({ name: "api-docs" })
    .get(
      "/docs",
      () => new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } }),
      { detail: { hide: true } },
    )
    .get(
      "/docs/assets/:file",
      ({ params, set }) => {
        const type = assets[params.file];
        if (!type) throw new ApiError(404, "not_found", "no such file");
        set.headers["content-type"] = type;
        set.headers["cache-control"] = "public, max-age=86400";
        return Bun.file(join(swaggerUiDir, params.file));
      },
      { params: t.Object({ file: t.String() }), detail: { hide: true } },
    )
    .get(
      "/docs/json",
      () => {
        // Made once, at the first request: every route is registered before the server listens.
        if (document) return document;
        const generated = toOpenAPISchema(
          app,
          { paths: ["/", /^\/demo\//], staticFile: true },
          undefined,
          undefined,
          OPENAPI_VERSION,
        ) as Pick<OpenApiDocument, "paths" | "components">;
        document = toContract({ openapi: OPENAPI_VERSION, info, ...generated });
        return document;
      },
      { detail: { hide: true } },
    );
  return app;
}
