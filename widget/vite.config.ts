import { fileURLToPath } from "node:url";
import minifyHTMLLiterals from "@lit-labs/rollup-plugin-minify-html-literals";
import { type BuildEnvironmentOptions, defineConfig } from "vite";

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

/**
 * Three outputs, each one self-contained file (no shared chunk, so `/widget.js` stays one
 * request): `notify-bell.js`, the file the server serves at /widget.js (the size budget's),
 * `notify-bell.element.js`, the same without `customElements.define` (src/element.ts), and
 * `notify-client.js`, the headless client alone, without Lit (src/client.ts).
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  logLevel: "warn",
  // The JS minifier leaves template literals alone: this one minifies the HTML of html`` and
  // the CSS of css`` (with lightningcss) before it, as Lit's production guide recommends.
  plugins: [
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
      for (const name of ["client", "element", "headless"]) {
        const environment = builder.environments[name];
        if (!environment) throw new Error(`no ${name} environment to build`);
        await builder.build(environment);
      }
    },
  },
  environments: {
    client: {
      build: {
        ...shared,
        emptyOutDir: true,
        lib: { entry: "src/index.ts", formats: ["es"], fileName: () => "notify-bell.js" },
      },
    },
    element: {
      consumer: "client",
      build: {
        ...shared,
        emptyOutDir: false,
        lib: { entry: "src/element.ts", formats: ["es"], fileName: () => "notify-bell.element.js" },
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
