import { type Browser, chromium, type Locator, type Page } from "playwright-core";

/**
 * Debian's Chromium, headless, driven by playwright-core: no browser download. Each launch
 * gets a fresh temporary profile from Playwright, removed when the browser closes.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The widget's documented parts; Playwright's CSS selectors reach into its shadow root. */
export const part = (page: Page, name: string): Locator =>
  page.locator(`notify-bell [part~="${name}"]`);

export function toast(page: Page, title: string): Locator {
  return part(page, "toast").filter({ hasText: title });
}

export function inboxItem(page: Page, title: string): Locator {
  return part(page, "item").filter({ hasText: title });
}

/** The number on the bell; 0 while the badge is hidden. */
export async function badgeCount(page: Page): Promise<number> {
  const badge = part(page, "badge");
  if (!(await badge.isVisible())) return 0;
  return Number(await badge.textContent());
}

/** Opens the demo page signed in as `user` at `tenant`, and waits for the widget's stream. */
export async function openDemo(page: Page, base: string, tenant: string, user: string) {
  await page.goto(`${base}/?${new URLSearchParams({ tenant, user })}`);
  await page.waitForFunction(
    () => (document.querySelector("notify-bell") as { status?: string } | null)?.status === "open",
    undefined,
    { timeout: 15_000 },
  );
}

export async function openInbox(page: Page) {
  // Only the front tab renders frames; clicks in a background tab wait for them.
  await page.bringToFront();
  if (!(await part(page, "panel").isVisible())) await part(page, "bell").click();
  await part(page, "panel").waitFor();
}
