import type { BrowserContext, Page } from "playwright-core";

declare global {
  interface Window {
    received: string[];
    widgetErrors: string[];
  }
}

/**
 * Records, in every page of the context, the title of each `notify-receive` event and the
 * code of each `notify-error`: what the widget delivered to the page, once per notification.
 */
export async function recordWidgetEvents(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    window.received = [];
    window.widgetErrors = [];
    document.addEventListener("notify-receive", (e) => {
      window.received.push((e as CustomEvent).detail.notification.title);
    });
    document.addEventListener("notify-error", (e) => {
      window.widgetErrors.push((e as CustomEvent).detail.code);
    });
  });
}

export function received(page: Page): Promise<string[]> {
  return page.evaluate(() => window.received);
}

export function widgetErrors(page: Page): Promise<string[]> {
  return page.evaluate(() => window.widgetErrors);
}
