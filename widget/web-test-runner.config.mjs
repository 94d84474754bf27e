// Runs the widget's tests in Debian's Chromium (never a downloaded browser), headless, with a
// fresh profile per run. CHROME_PATH overrides the binary.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { esbuildPlugin } from "@web/dev-server-esbuild";
import { chromeLauncher } from "@web/test-runner-chrome";

const executablePath = process.env.CHROME_PATH ?? "/usr/bin/chromium";

export default {
  rootDir: ".",
  files: ["widget/src/**/*.test.ts"],
  nodeResolve: true,
  concurrency: 1,
  testFramework: { config: { timeout: 15000 } },
  plugins: [esbuildPlugin({ ts: true, target: "es2022" })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        userDataDir: mkdtempSync(join(tmpdir(), "notify-bell-chromium-")),
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-dev-shm-usage",
        ],
      },
    }),
  ],
};
