/**
 * Where the API lives. Embedding is one script tag, so by default the server is the origin the
 * widget's own module was loaded from; the `server` attribute overrides it (for example a
 * bundled copy, or a server mounted under a path).
 */
const scriptOrigin = new URL(import.meta.url).origin;

export function resolveServer(attribute: string): string {
  if (!attribute) return scriptOrigin;
  return new URL(attribute, location.href).href.replace(/\/+$/, "");
}
