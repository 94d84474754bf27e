import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * One ES module, Lit bundled in, production build: the file the server serves at /widget.js.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  logLevel: "warn",
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
