// The Custom Elements Manifest (widget/custom-elements.json) comes from the element's doc
// header and its declared properties: `npm run build:manifest` writes it, and
// widget/check-api-docs.mjs fails when it or widget/README's tables have drifted.

/** Lit's internal state (`state: true`) and read-only properties have no attribute. */
function noAttributesForStateOrReadonly() {
  return {
    name: "no-attributes-for-state-or-readonly",
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          const hidden = new Set(
            (decl.members ?? [])
              .filter((m) => m.privacy === "private" || m.readonly)
              .map((m) => m.name),
          );
          decl.attributes = decl.attributes?.filter((a) => !hidden.has(a.fieldName));
        }
      }
    },
  };
}

export default {
  globs: ["widget/src/notify-bell.ts"],
  // check-api-docs.mjs writes a fresh copy elsewhere to compare.
  outdir: process.env.CEM_OUTDIR ?? "widget",
  litelement: true,
  // package.json's `customElements` names the committed manifest; left on, every run (the
  // check's too, into its cache folder) rewrote it to point at wherever that run wrote.
  packagejson: false,
  plugins: [noAttributesForStateOrReadonly()],
};
