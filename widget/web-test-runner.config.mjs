// Runs the widget's tests in Debian's Chromium (never a downloaded browser), headless, with a
// fresh profile per run, next to a real notify-bell server on a real Postgres (see
// test/notify-server-plugin.ts). CHROME_PATH overrides the browser binary.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { esbuildPlugin } from "@web/dev-server-esbuild";
import { chromeLauncher } from "@web/test-runner-chrome";
import { register } from "tsx/esm/api";

register();
const { notifyServerPlugin } = await import("./test/notify-server-plugin.ts");

const executablePath = process.env.CHROME_PATH ?? "/usr/bin/chromium";

export default {
  rootDir: ".",
  files: ["widget/src/**/*.test.ts"],
  nodeResolve: true,
  concurrency: 1,
  testFramework: { config: { timeout: 20000 } },
  // Tests run Lit's development build on purpose (it warns about misuse); its banner is noise.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith("Lit is in dev mode"),
  plugins: [esbuildPlugin({ ts: true, target: "es2022" }), notifyServerPlugin()],
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
