import type { Browser, Page } from "playwright-core";
import type { PreviewServer } from "vite";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { connect, createDatabase } from "../test/support/database.ts";
import { freePort } from "../test/support/postgres.ts";
import { type ServerProcess, startServer } from "../test/support/server-process.ts";
import { createTenant } from "../test/support/tenants.ts";
import { badgeCount, inboxItem, launchBrowser, openInbox } from "./support/browser.ts";
import {
  buildExample,
  EXAMPLES,
  type Example,
  notifyBellLines,
  previewExample,
  typeCheckWithMistakes,
} from "./support/examples.ts";

/**
 * The apps in examples/ as their users build, check and run them: each framework's own type
 * checker with the shipped typings (clean on the app, an error on each deliberate mistake),
 * then the built app against the real server in Chromium, with `/widget.js` arriving before
 * and after the app has rendered: the token comes from `tokenProvider` (the apps set no
 * `token`), a row inserted by SQL reaches the badge, and a click reaches the app's handler.
 */
let server: ServerProcess;
let sql: ReturnType<typeof connect>;
let browser: Browser;
const sites = new Map<Example, { url: string; preview: PreviewServer }>();
let users = 0;

beforeAll(async () => {
  const databaseUrl = await createDatabase(inject("postgresUrl"));
  [server, browser] = await Promise.all([
    startServer({ DATABASE_URL: databaseUrl }),
    launchBrowser(),
  ]);
  sql = connect(databaseUrl);
  const ports = new Map<Example, number>();
  for (const example of EXAMPLES) ports.set(example, await freePort());
  const origins = [...ports.values()].map((port) => `http://127.0.0.1:${port}`);
  const tenant = await createTenant(server.url, "examples", origins);
  // What examples/site-backend.ts reads: the server for index.html when building, the
  // tenant's secret when minting a token (the user is set by each test).
  vi.stubEnv("NOTIFY_SERVER", server.url.replace(/\/$/, ""));
  vi.stubEnv("NOTIFY_TENANT", tenant.id);
  vi.stubEnv("NOTIFY_SIGNING_SECRET", tenant.signingSecret);
  for (const [example, port] of ports) {
    await buildExample(example);
    sites.set(example, {
      url: `http://127.0.0.1:${port}`,
      preview: await previewExample(example, port),
    });
  }
}, 180_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  for (const { preview } of sites.values()) await preview.close();
  await browser?.close();
  await sql?.end({ timeout: 1 });
  await server?.stop();
});

describe("the examples' typings", () => {
  for (const example of ["react", "vue", "svelte"] as const) {
    it(`${example}: the app type-checks, and each mistake in mistakes/ is an error`, async () => {
      const file = `mistakes/TypingMistakes.${{ react: "tsx", vue: "vue", svelte: "svelte" }[example]}`;
      const { ok, errors, output } = await typeCheckWithMistakes(example);
      expect(ok).toBe(false);
      // None in the app's sources, one on each line with a mistake.
      expect(errors.sort(), output).toEqual(notifyBellLines(example, file).sort());
    }, 180_000);
  }
});

/**
 * Opens an example with `/widget.js` held back until the app has rendered the element
 * (`late`), or the app's own script held back until the element is defined (`first`).
 */
async function openExample(page: Page, example: Example, widget: "first" | "late") {
  const site = sites.get(example);
  if (!site) throw new Error(`${example} is not served`);
  const widgetUrl = `${process.env.NOTIFY_SERVER}/widget.js`;
  if (widget === "late") {
    await page.route(widgetUrl, async (route) => {
      await page.waitForFunction(() => document.querySelector("notify-bell") !== null);
      await route.continue();
    });
  } else {
    await page.route(`${site.url}/assets/**`, async (route) => {
      await page.waitForFunction(() => customElements.get("notify-bell") !== undefined);
      await route.continue();
    });
  }
  const tokenRequests: string[] = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/api/notify-token")) tokenRequests.push(request.url());
  });
  await page.goto(site.url, { waitUntil: "commit" });
  await page.waitForFunction(
    () => (document.querySelector("notify-bell") as { status?: string } | null)?.status === "open",
    undefined,
    { timeout: 15_000 },
  );
  return { tokenRequests };
}

describe("the examples in Chromium", () => {
  for (const example of EXAMPLES) {
    for (const widget of ["first", "late"] as const) {
      it(`${example}, /widget.js ${widget === "first" ? "before" : "after"} the app: token from tokenProvider, SQL row on the badge, click to the app`, async () => {
        const user = `${example}-${widget}-${++users}`;
        vi.stubEnv("NOTIFY_USER", user);
        const page = await browser.newPage();
        try {
          const { tokenRequests } = await openExample(page, example, widget);
          expect(tokenRequests.length).toBeGreaterThan(0);

          const title = `For ${user}`;
          await sql`INSERT INTO notify.notifications (tenant_id, recipient, title, url)
            VALUES ('examples', ${user}, ${title}, '/orders/7')`;
          await expect.poll(() => badgeCount(page), { timeout: 10_000 }).toBe(1);

          await openInbox(page);
          const before = page.url();
          await inboxItem(page, title).locator(".item-main").click();
          await expect.poll(() => page.locator("#last-click").textContent()).toBe(title);
          expect(page.url()).toBe(before);
        } finally {
          await page.close();
        }
      });
    }
  }
});
