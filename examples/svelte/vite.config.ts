import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vite";
import { siteBackend } from "../site-backend.ts";

export default defineConfig({ plugins: [svelte(), siteBackend()] });
