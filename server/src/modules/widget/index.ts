import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Elysia } from "elysia";
import { ApiError } from "../../http/api-error.ts";

const FILE = "notify-bell.js";
/** The inbox panel's module, named for its content by the build (widget/vite.config.ts). */
const CHUNK = /^widget-inbox\.[0-9a-f]{16}\.js$/;

interface Built {
  source: Uint8Array<ArrayBuffer>;
  etag: string;
  hash: string;
}

/**
 * Serves the built widget: `/widget.js` (short cache, ETag) for the embed snippet, and
 * `/widget/<hash>.js` (immutable) for pages that pin a version. Public to every origin.
 * The entry imports the inbox panel's module (`widget-inbox.<hash>.js`) by a path relative to
 * its own URL, so each is served next to both URLs of the entry, `/` and `/widget/`,
 * immutable (its name changes with its content). Every such file in the folder is served,
 * so a deploy that keeps the previous build's lets pages still running it open their inbox.
 * Read once at boot; rebuild and restart to change it. docs/design/widget-chunks.md.
 */
export function widgetModule(widgetDir: string) {
  const path = resolve(widgetDir, FILE);
  const built: Built | undefined = existsSync(path) ? load(path) : undefined;
  const chunks = new Map(
    (existsSync(widgetDir) ? readdirSync(widgetDir) : [])
      .filter((file) => CHUNK.test(file))
      .map((file) => [file, new Uint8Array(readFileSync(resolve(widgetDir, file)))] as const),
  );
  const missing = () =>
    new ApiError(404, "not_found", "the widget is not built: run `npm run build:widget`");
  const js = {
    "content-type": "text/javascript; charset=utf-8",
    "access-control-allow-origin": "*",
  };
  const immutable = { ...js, "cache-control": "public, max-age=31536000, immutable" };
  const chunk = (file: string) => {
    const source = chunks.get(file);
    if (!source) throw missing();
    return new Response(source, { headers: immutable });
  };

  const app = new Elysia({ name: "widget" })
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
        if (CHUNK.test(params.file)) return chunk(params.file);
        if (!built || params.file !== `${built.hash}.js`) throw missing();
        return new Response(built.source, { headers: { ...immutable, etag: built.etag } });
      },
      { detail: { hide: true } },
    );
  // One exact route each, not `/:file`, which would answer for every unknown path.
  for (const file of chunks.keys())
    app.get(`/${file}`, () => chunk(file), { detail: { hide: true } });
  return app;
}

function load(path: string): Built {
  const source = new Uint8Array(readFileSync(path));
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 16);
  return { source, hash, etag: `"${hash}"` };
}
