/**
 * Lit as the inbox module (inbox-panel.ts) sees it in the build: the template tags alone.
 * Templates are plain data (`{ _$litType$, strings, values }`, Lit's `TemplateResult`) that
 * the entry's own Lit renders, and `nothing` is a registered symbol, so the module carries no
 * second copy of Lit's renderer (about 5.5 kB gzipped). What must stay true: these are Lit's own
 * production definitions (lit-html's `tag`, `nothing`); the module imports nothing else from
 * Lit (the build fails on a missing export); `css` only builds the sheet the loader adopts.
 * Tests and bundlers that take the sources use the real `lit`.
 */
const tag =
  (type: 1 | 2) =>
  (strings: TemplateStringsArray, ...values: unknown[]) => ({ _$litType$: type, strings, values });

export const html = tag(1);
export const svg = tag(2);
export const nothing = Symbol.for("lit-nothing");

export function css(strings: TemplateStringsArray, ...values: unknown[]) {
  const styleSheet = new CSSStyleSheet();
  styleSheet.replaceSync(strings.reduce((text, part, i) => text + String(values[i - 1]) + part));
  return { styleSheet };
}
