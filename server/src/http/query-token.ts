/**
 * Every `?token=` value in a request URL, read from the raw URL. CORS and authentication
 * both read the token through this, so they can never disagree about which of several
 * copies counts (different parsers keep the first or the last): more than one is refused.
 */
export function queryTokens(url: string): string[] {
  const start = url.indexOf("?");
  if (start === -1) return [];
  const end = url.indexOf("#", start);
  return new URLSearchParams(url.slice(start + 1, end === -1 ? undefined : end)).getAll("token");
}
