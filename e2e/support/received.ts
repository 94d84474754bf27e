import type { BrowserContext, Page } from "playwright-core";

declare global {
  interface Window {
    received: string[];
    /** `Date.now()` when each notification was received: the same clock as the test's. */
    receivedAt: Record<string, number>;
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
    window.receivedAt = {};
    window.widgetErrors = [];
    document.addEventListener("notify-receive", (e) => {
      const title = (e as CustomEvent).detail.notification.title;
      window.received.push(title);
      window.receivedAt[title] ??= Date.now();
    });
    document.addEventListener("notify-error", (e) => {
      window.widgetErrors.push((e as CustomEvent).detail.code);
    });
  });
}

export function received(page: Page): Promise<string[]> {
  return page.evaluate(() => window.received);
}

/** When the widget received the notification titled `title` (it renders its toast at once). */
export function receivedAt(page: Page, title: string): Promise<number | undefined> {
  return page.evaluate((t) => window.receivedAt[t], title);
}

export function widgetErrors(page: Page): Promise<string[]> {
  return page.evaluate(() => window.widgetErrors);
}
