import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../../../../test/support/stack.ts";

let stack: Stack;
const source = "export const built = true;\n";
const chunk = "widget-inbox.0123456789abcdef.js";
const chunkSource = "export const panel = true;\n";

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "notify-widget-"));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, "notify-bell.js"), source);
  writeFileSync(join(dir, chunk), chunkSource);
  stack = await startStack({ NOTIFY_WIDGET_DIR: dir });
});
afterAll(() => stack?.stop());

describe("widget serving", () => {
  it("serves /widget.js to every origin as JavaScript, with an ETag and a short cache", async () => {
    const response = await fetch(new URL("/widget.js", stack.server.url), {
      headers: { origin: "https://any-site.example" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    expect(await response.text()).toBe(source);
    const etag = response.headers.get("etag") as string;
    expect(etag).toMatch(/^"[0-9a-f]{16}"$/);

    const again = await fetch(new URL("/widget.js", stack.server.url), {
      headers: { "if-none-match": etag },
    });
    expect(again.status).toBe(304);

    const pinned = await fetch(new URL(`/widget/${etag.slice(1, -1)}.js`, stack.server.url));
    expect(pinned.status).toBe(200);
    expect(pinned.headers.get("cache-control")).toContain("immutable");
    expect(await pinned.text()).toBe(source);
    expect((await fetch(new URL("/widget/0000000000000000.js", stack.server.url))).status).toBe(
      404,
    );
  });

  it("serves the inbox panel's module next to both URLs of the entry, to every origin, immutable", async () => {
    // The entry imports it by a path relative to its own URL: /widget.js or /widget/<hash>.js.
    for (const path of [`/${chunk}`, `/widget/${chunk}`]) {
      const response = await fetch(new URL(path, stack.server.url), {
        headers: { origin: "https://any-site.example" },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/javascript/);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(await response.text()).toBe(chunkSource);
    }
    for (const path of [
      "/widget-inbox.fedcba9876543210.js",
      "/widget/widget-inbox.fedcba9876543210.js",
    ]) {
      const response = await fetch(new URL(path, stack.server.url));
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe("not_found");
    }
  });

  it("serves OpenAPI docs and a health report", async () => {
    expect((await fetch(new URL("/docs", stack.server.url))).status).toBe(200);
    const spec = await (await fetch(new URL("/docs/json", stack.server.url))).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(["/v1/stream", "/v1/notifications", "/v1/admin/tenants", "/healthz"]),
    );
    const health = await (await fetch(new URL("/healthz", stack.server.url))).json();
    expect(health).toEqual({ status: "ok", database: "up", listener: "listening", openStreams: 0 });
  });

  it("answers unknown paths with the JSON error shape", async () => {
    const response = await fetch(new URL("/nope", stack.server.url));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: "not_found", message: expect.any(String) },
    });
  });
});
