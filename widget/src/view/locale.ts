/**
 * The language the widget formats in. Pages really write tags `Intl` rejects
 * (`lang="en_US"` from Java's `Locale.toString()` and many PHP templates), and every `Intl`
 * constructor throws `RangeError` on them, which used to stop rendering altogether. What must
 * stay true: whatever the page says, this returns a tag every `Intl` API accepts.
 */

/**
 * The first usable tag among `candidates` (the element's `lang`, the page's, the browser's),
 * canonicalised: `en_US` becomes `en-US`; a tag with a broken tail keeps its valid head
 * (`de-DE-!!` is `de-DE`); a candidate with nothing valid gives way to the next; `en` last.
 */
export function resolveLocale(...candidates: (string | null | undefined)[]): string {
  for (const candidate of candidates) {
    const tag = canonical(candidate);
    if (tag) return tag;
  }
  return "en";
}

function canonical(raw: string | null | undefined): string | null {
  const subtags = (raw ?? "").trim().replaceAll("_", "-").split("-");
  for (let n = subtags.length; n > 0; n--) {
    try {
      const [tag] = Intl.getCanonicalLocales(subtags.slice(0, n).join("-"));
      if (tag) return tag;
    } catch {
      // Not a valid tag yet: try it without its last subtag.
    }
  }
  return null;
}
