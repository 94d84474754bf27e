import { createHash } from "node:crypto";
import { readdirSync, readFileSync, renameSync } from "node:fs";
import { fileURLToPath } from "node:url";
import minifyHTMLLiterals from "@lit-labs/rollup-plugin-minify-html-literals";
import { type BuildEnvironmentOptions, defineConfig, type Plugin } from "vite";

// lightningcss versions: major << 16 | minor << 8. The first browsers with light-dark() and the
// Popover API, which the styles and the element already need: nothing is lowered for older ones.
const CSS_TARGETS = { chrome: 123 << 16, firefox: 125 << 16, safari: (17 << 16) | (5 << 8) };

/** Both outputs: ES modules, Lit bundled in, production builds, minified all the way. */
const shared: BuildEnvironmentOptions = {
  outDir: "dist",
  target: "es2022",
  minify: true,
  sourcemap: false,
  // Library mode keeps whitespace and /* @__PURE__ */ comments for bundlers that tree-shake
  // again; these files go straight to browsers, so they are minified all the way.
  rolldownOptions: { output: { minify: true, comments: false } },
};

const dist = fileURLToPath(new URL("dist/", import.meta.url));

/**
 * In `/widget.js`, the panel's `import()` (src/view/panel-loader.ts) stays a dynamic import of
 * the separately built, self-contained panel module, by a path relative to the entry's own
 * URL, which the browser resolves against `import.meta.url` (same folder, any origin).
 */
const inboxImport: Plugin = {
  name: "notify-inbox-import",
  enforce: "pre",
  applyToEnvironment: (environment) => environment.name === "client",
  resolveId(source) {
    if (!source.endsWith("/inbox-panel.ts")) return null;
    // Found in dist/, not passed in a variable: Vite loads this file again for each build.
    const inboxFile = readdirSync(dist).find((file) => /^widget-inbox\.[0-9a-f]+\.js$/.test(file));
    if (!inboxFile) throw new Error("the inbox module is built first");
    return { id: `./${inboxFile}`, external: true };
  },
};

/** In the inbox module, `lit` is the tags alone (src/inbox-lit.ts): the entry's Lit renders. */
const inboxLit: Plugin = {
  name: "notify-inbox-lit",
  enforce: "pre",
  applyToEnvironment: (environment) => environment.name === "inbox",
  resolveId: (source) =>
    source === "lit" ? fileURLToPath(new URL("src/inbox-lit.ts", import.meta.url)) : null,
};

/**
 * Four outputs (docs/design/widget-chunks.md): `notify-bell.js`, the file the server serves at
 * /widget.js (what every page loads: bell, live connection, count, toasts, the panel's
 * shell), `widget-inbox.<hash>.js`, the panel's inside, which /widget.js imports on the first
 * open, self-contained so it never imports the entry back (the entry can live at two URLs),
 * `notify-bell.element.js`, everything in one file without `customElements.define`
 * (src/element.ts), and `notify-client.js`, the headless client alone, without Lit
 * (src/client.ts).
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  logLevel: "warn",
  // The JS minifier leaves template literals alone: this one minifies the HTML of html`` and
  // the CSS of css`` (with lightningcss) before it, as Lit's production guide recommends.
  plugins: [
    inboxImport,
    inboxLit,
    minifyHTMLLiterals({
      failOnError: true,
      // keepClosingSlash: an svg`` fragment (icons.ts) is parsed as HTML, where a `<path>`
      // without its `/>` would swallow the next one and the icon would lose a stroke.
      options: { minifyOptions: { keepClosingSlash: true, minifyCSS: { targets: CSS_TARGETS } } },
    }),
  ],
  builder: {
    // In this order: the first empties dist/.
    async buildApp(builder) {
      for (const name of ["inbox", "client", "element", "headless"]) {
        const environment = builder.environments[name];
        if (!environment) throw new Error(`no ${name} environment to build`);
        await builder.build(environment);
        if (name === "inbox") hashName("widget-inbox.js");
      }
    },
  },
  environments: {
    inbox: {
      consumer: "client",
      build: {
        ...shared,
        emptyOutDir: true,
        lib: { entry: "src/inbox-panel.ts", formats: ["es"], fileName: () => "widget-inbox.js" },
      },
    },
    client: {
      build: {
        ...shared,
        emptyOutDir: false,
        lib: { entry: "src/index.ts", formats: ["es"], fileName: () => "notify-bell.js" },
      },
    },
    element: {
      consumer: "client",
      build: {
        ...shared,
        emptyOutDir: false,
        lib: { entry: "src/element.ts", formats: ["es"], fileName: () => "notify-bell.element.js" },
        // One file: the panel's module is bundled in, not imported.
        rolldownOptions: { output: { ...shared.rolldownOptions?.output, codeSplitting: false } },
      },
    },
    headless: {
      consumer: "client",
      build: {
        ...shared,
        emptyOutDir: false,
        lib: { entry: "src/client.ts", formats: ["es"], fileName: () => "notify-client.js" },
      },
    },
  },
});

/** Renames a built file to carry its content's hash, so it can be cached for good. */
function hashName(file: string): void {
  const hash = createHash("sha256")
    .update(readFileSync(dist + file))
    .digest("hex")
    .slice(0, 16);
  const named = file.replace(/\.js$/, `.${hash}.js`);
  renameSync(dist + file, dist + named);
}
