import { fileURLToPath } from "node:url";
import minifyHTMLLiterals from "@lit-labs/rollup-plugin-minify-html-literals";
import { defineConfig } from "vite";

// lightningcss versions: major << 16 | minor << 8. The first browsers with light-dark() and the
// Popover API, which the styles and the element already need: nothing is lowered for older ones.
const CSS_TARGETS = { chrome: 123 << 16, firefox: 125 << 16, safari: (17 << 16) | (5 << 8) };

/**
 * One ES module, Lit bundled in, production build: the file the server serves at /widget.js.
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
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    minify: true,
    sourcemap: false,
    // Library mode keeps whitespace and /* @__PURE__ */ comments for bundlers that tree-shake
    // again; this file goes straight to browsers, so it is minified all the way.
    rolldownOptions: { output: { minify: true, comments: false } },
    lib: {
      entry: "src/index.ts",
      formats: ["es"],
      fileName: () => "notify-bell.js",
    },
  },
});
