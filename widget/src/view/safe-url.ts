/**
 * Lit escapes text but not attribute URLs: `href=${url}` with `javascript:` would run.
 * Every URL from a notification passes through here before it reaches the DOM or `location`.
 */

const ALLOWED_PROTOCOLS = new Set(["http:", "https:"]);

/**
 * Returns an absolute http(s) URL for `raw`, resolved against `base`, or null when `raw` is
 * empty or would navigate anywhere else (`javascript:`, `data:`, `vbscript:`, `blob:`, ...).
 * Relative URLs are allowed: they resolve to the page's own origin, hence http(s).
 */
export function safeUrl(raw: unknown, base: string): string | null {
  if (typeof raw !== "string") return null;
  const trimmed = raw.trim();
  if (trimmed === "") return null;
  let url: URL;
  try {
    url = new URL(trimmed, base);
  } catch {
    return null;
  }
  return ALLOWED_PROTOCOLS.has(url.protocol) ? url.href : null;
}
