import type { IncomingMessage, ServerResponse } from "node:http";
import { SignJWT } from "jose";
import type { Plugin } from "vite";

/**
 * The two things each example needs from a site, as a Vite plugin for `vite` (dev) and
 * `vite preview`:
 * - `%NOTIFY_SERVER%` in index.html, the notify-bell server to load `/widget.js` from
 *   (`NOTIFY_SERVER` at build time, default `http://127.0.0.1:3000`, where `npm start` runs);
 * - `GET /api/notify-token`, the signed-in user's token as the site's backend mints it: HS256
 *   with the tenant's signing secret (`NOTIFY_TENANT`, `NOTIFY_SIGNING_SECRET`), for the user
 *   `NOTIFY_USER` (default `user-42`), read at each request.
 */
export function siteBackend(): Plugin {
  return {
    name: "notify-bell-example-site-backend",
    transformIndexHtml: {
      order: "pre",
      handler: (html) =>
        html.replaceAll("%NOTIFY_SERVER%", process.env.NOTIFY_SERVER ?? "http://127.0.0.1:3000"),
    },
    configureServer: (server) => void server.middlewares.use(tokenRoute),
    configurePreviewServer: (server) => void server.middlewares.use(tokenRoute),
  };
}

function tokenRoute(request: IncomingMessage, response: ServerResponse, next: () => void) {
  if (request.url !== "/api/notify-token") return next();
  const { NOTIFY_TENANT: tenant, NOTIFY_SIGNING_SECRET: secret } = process.env;
  if (!tenant || !secret) {
    response.statusCode = 500;
    response.end("set NOTIFY_TENANT and NOTIFY_SIGNING_SECRET (see examples/README.md)");
    return;
  }
  new SignJWT({ tenant })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(process.env.NOTIFY_USER ?? "user-42")
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(new TextEncoder().encode(secret))
    .then((token) => {
      response.setHeader("content-type", "application/json");
      response.setHeader("cache-control", "no-store");
      response.end(JSON.stringify({ token }));
    }, next);
}
