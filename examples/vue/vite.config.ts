import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";
import { siteBackend } from "../site-backend.ts";

export default defineConfig({
  plugins: [
    // A custom element, not a Vue component: Vue renders it as it is.
    vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === "notify-bell" } } }),
    siteBackend(),
  ],
});
