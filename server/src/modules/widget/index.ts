import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Elysia } from "elysia";
import { ApiError } from "../../http/api-error.ts";

const FILE = "notify-bell.js";

interface Built {
  source: Uint8Array<ArrayBuffer>;
  etag: string;
  hash: string;
}

/**
 * Serves the built widget: `/widget.js` (short cache, ETag) for the embed snippet, and
 * `/widget/<hash>.js` (immutable) for pages that pin a version. Public to every origin.
 * Read once at boot; rebuild and restart to change it.
 */
export function widgetModule(widgetDir: string) {
  const path = resolve(widgetDir, FILE);
  const built: Built | undefined = existsSync(path) ? load(path) : undefined;
  const missing = () =>
    new ApiError(404, "not_found", "the widget is not built: run `npm run build:widget`");
  const js = {
    "content-type": "text/javascript; charset=utf-8",
    "access-control-allow-origin": "*",
  };

  return new Elysia({ name: "widget" })
    .get(
      "/widget.js",
      ({ headers }) => {
        if (!built) throw missing();
        const common = { ...js, etag: built.etag, "cache-control": "public, max-age=300" };
        if (headers["if-none-match"] === built.etag)
          return new Response(null, { status: 304, headers: common });
        return new Response(built.source, { headers: common });
      },
      { detail: { summary: "The <notify-bell> widget (ES module)", tags: ["widget"] } },
    )
    .get(
      "/widget/:file",
      ({ params }) => {
        if (!built || params.file !== `${built.hash}.js`) throw missing();
        return new Response(built.source, {
          headers: {
            ...js,
            etag: built.etag,
            "cache-control": "public, max-age=31536000, immutable",
          },
        });
      },
      { detail: { hide: true } },
    );
}

function load(path: string): Built {
  const source = new Uint8Array(readFileSync(path));
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 16);
  return { source, hash, etag: `"${hash}"` };
}
