import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { siteBackend } from "../site-backend.ts";

export default defineConfig({ plugins: [react(), siteBackend()] });
