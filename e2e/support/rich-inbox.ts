import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { launchBrowser, openDemo, part } from "./browser.ts";
import { type DemoServer, startDemoServer } from "./demo-server.ts";
import { recordWidgetEvents } from "./received.ts";

/** A generous deadline for what the stream or the snooze job brings; never a timing assertion. */
export const LIVE = { timeout: 10_000 };

export interface RichInbox {
  demo: DemoServer;
  browser: Browser;
  /** A fresh one per test, recording the widget's events in every page. */
  context: BrowserContext;
}

/**
 * Registers a file's hooks: one demo server and browser for the file, a context per test,
 * and empty inboxes and default preferences after each (no page is open by then, so the
 * deletes reach no one). The fields are set once the hooks have run.
 */
export function richInboxSuite(): RichInbox {
  const suite = {} as RichInbox;
  beforeAll(async () => {
    [suite.demo, suite.browser] = await Promise.all([startDemoServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.demo?.stop();
  });
  beforeEach(async () => {
    suite.context = await suite.browser.newContext();
    await recordWidgetEvents(suite.context);
  });
  afterEach(async () => {
    await suite.context.close();
    await suite.demo.sql`DELETE FROM notify.notifications`;
    await suite.demo.sql`DELETE FROM notify.preferences`;
  });
  return suite;
}

/** Two tabs of `user` at `tenant`, each with the element's attributes set as a page would. */
export async function twoTabs(
  { context, demo }: RichInbox,
  tenant: string,
  user: string,
  attributes: Record<string, string> = {},
): Promise<[Page, Page]> {
  const tabs: Page[] = [];
  for (let i = 0; i < 2; i++) {
    const tab = await context.newPage();
    await openDemo(tab, demo.url, tenant, user);
    await tab.evaluate((set) => {
      const bell = document.querySelector("notify-bell");
      for (const [name, value] of Object.entries(set)) bell?.setAttribute(name, value);
    }, attributes);
    tabs.push(tab);
  }
  return tabs as [Page, Page];
}

/** Inserts as a tenant app does, with a category (or none). */
export async function insertIn(
  { demo }: RichInbox,
  tenant: string,
  recipient: string,
  title: string,
  category: string | null = null,
): Promise<void> {
  await demo.sql`INSERT INTO notify.notifications (tenant_id, recipient, title, category)
    VALUES (${tenant}, ${recipient}, ${title}, ${category})`;
}

export async function closeInbox(page: Page): Promise<void> {
  await page.bringToFront();
  if (await part(page, "panel").isVisible()) await part(page, "bell").click();
  await part(page, "panel").waitFor({ state: "hidden" });
}

/** The category tabs as read out: label and count, e.g. "Comments 2" ("Comments" at 0). */
export async function tabTexts(page: Page): Promise<string[]> {
  const texts = await part(page, "tabs").locator("button").allTextContents();
  return texts.map((text) => text.trim());
}

/** The titles of the rows the open panel lists, top to bottom. */
export function listed(page: Page): Promise<string[]> {
  return part(page, "item-title").allTextContents();
}
