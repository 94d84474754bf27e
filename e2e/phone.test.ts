import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, openDemo, toast } from "./support/browser.ts";
import { type DemoServer, startDemoServer } from "./support/demo-server.ts";

/** The demo on a 390 px phone: nothing scrolls sideways, and a toast lands on screen. */
let demo: DemoServer;
let browser: Browser;

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

/** Elements wider than the viewport or reaching past its right edge, by tag and class. */
function overflowing(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("body *")]
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`)
      .slice(0, 10),
  );
}

describe("the demo on a phone", () => {
  it("fits 390 px: no sideways scroll, and the toast is fully on screen", async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 3,
      isMobile: true,
      hasTouch: true,
    });
    try {
      const page = await context.newPage();
      await openDemo(page, demo.url, "demo-acme", "alice");
      const sideways = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(await page.evaluate(() => window.innerWidth)).toBe(390);
      expect({ sideways, overflowing: await overflowing(page) }).toEqual({
        sideways: 0,
        overflowing: [],
      });

      await demo.sql`INSERT INTO notify.notifications (tenant_id, recipient, title, body)
        VALUES ('demo-acme', 'alice', 'On a phone', 'A toast that fits the screen')`;
      const box = await toast(page, "On a phone").boundingBox({ timeout: 10_000 });
      expect(box).not.toBeNull();
      const { x, y, width, height } = box as NonNullable<typeof box>;
      expect(x).toBeGreaterThanOrEqual(0);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(x + width).toBeLessThanOrEqual(390);
      expect(y + height).toBeLessThanOrEqual(844);
    } finally {
      await context.close();
    }
  });
});
