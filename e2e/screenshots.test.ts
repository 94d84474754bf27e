import { mkdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { badgeCount, launchBrowser, openDemo, openInbox, part, toast } from "./support/browser.ts";
import { type DemoServer, startDemoServer } from "./support/demo-server.ts";
import { saveScreenshot } from "./support/screenshot.ts";

/**
 * The README's pictures of the demo, taken by this run from the real page. The content is
 * fixed (a fresh database, times relative to now), so an unchanged demo gives the same
 * picture, and the tracked file is left as it is.
 */
const folder = fileURLToPath(new URL("../docs/screenshots/", import.meta.url));

let demo: DemoServer;
let browser: Browser;

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
  mkdirSync(folder, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

/**
 * Alice's inbox in the pictures: one of each kind the demo shows. Tabs for the demo
 * tenant's categories, a read update and an unread one, a burst of comments as one group row,
 * an invitation with its action buttons, a security alert that cannot be muted.
 */
async function seedInbox() {
  await demo.sql`
    INSERT INTO notify.notifications
      (tenant_id, recipient, title, body, category, created_at, read_at)
    VALUES ('demo-acme', 'alice', 'Weekly report is ready', 'Traffic is up 12% on last week',
            'updates', now() - interval '3 hours', now()),
           ('demo-acme', 'alice', 'New sign-in from Firefox on Linux', 'Berlin, Germany',
            'security', now() - interval '40 minutes', NULL),
           ('demo-acme', 'alice', 'Invoice #1042 was paid', NULL, 'updates',
            now() - interval '2 minutes', NULL)`;
  await demo.sql`
    INSERT INTO notify.notifications
      (tenant_id, recipient, title, body, category, group_key, actor_name, created_at)
    SELECT 'demo-acme', 'alice', name || ' commented on "Q3 roadmap"', body, 'comments',
           'comments:q3-roadmap', name, now() - make_interval(mins => minutes)
    FROM (VALUES ('Chen Wei', 'Added the budget numbers.', 30),
                 ('Bob Kim', 'Hiring plan looks right to me.', 12),
                 ('Ana Lima', 'Can we move the launch to week 32?', 5)) AS c(name, body, minutes)`;
  await demo.sql`
    INSERT INTO notify.notifications
      (tenant_id, recipient, title, body, category, created_at, actor_name, actions)
    VALUES ('demo-acme', 'alice', 'Ana invited you to "Q3 planning"', 'Thursday, 10:00',
            'invitations', now() - interval '1 minute', 'Ana Lima',
            '[{"id": "accept", "label": "Accept", "style": "primary"},
              {"id": "decline", "label": "Decline"}]')`;
}

describe("the README's screenshots", () => {
  it("shows the open inbox with tabs, a group and actions, its preferences, then a toast", async () => {
    await seedInbox();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await openDemo(page, demo.url, "demo-acme", "alice");
    // Unread and not seen: the security alert, the invoice, the group (one), the invitation.
    expect(await badgeCount(page)).toBe(4);
    await openInbox(page);
    await expect.poll(() => part(page, "item").count()).toBe(5);
    await part(page, "group").waitFor();
    await part(page, "tabs").waitFor();
    // A second in view sees the rows: the bell (counting new ones) clears, they stay unread.
    await expect.poll(() => badgeCount(page), { timeout: 5_000 }).toBe(0);
    await saveScreenshot(browser, page, `${folder}demo-inbox.png`);

    await part(page, "panel").getByRole("button", { name: "Preferences" }).click();
    await part(page, "preferences").waitFor();
    await saveScreenshot(browser, page, `${folder}widget-preferences.png`);
    await page.keyboard.press("Escape");
    await part(page, "panel").waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Run SQL INSERT" }).click();
    await toast(page, "Your export is ready").waitFor({ timeout: 5_000 });
    await expect.poll(() => page.locator("#ran").textContent()).toContain("COMMIT;");
    expect(await badgeCount(page)).toBe(1);
    await saveScreenshot(browser, page, `${folder}demo-toast.png`);

    for (const name of ["demo-inbox.png", "widget-preferences.png", "demo-toast.png"]) {
      expect(statSync(`${folder}${name}`).size).toBeGreaterThan(10_000);
    }
    await context.close();
  });

  it("shows the panel opened from a left sidebar, and as a sheet on a phone", async () => {
    await demo.sql`DELETE FROM notify.notifications`;
    await seedInbox();
    const wide = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    const page = await wide.newPage();
    await openDemo(page, demo.url, "demo-acme", "alice");
    // The demo's own bell, moved into a left sidebar as an app with side navigation has it.
    await page.evaluate(() => {
      const bell = document.querySelector("notify-bell");
      const nav = document.createElement("nav");
      nav.style.cssText =
        "position: fixed; inset: 0 auto 0 0; width: 72px; padding: 16px; background: #111827";
      document.body.replaceChildren(nav);
      if (bell) nav.append(bell);
      document.body.style.background = "#f3f4f6";
    });
    await part(page, "bell").waitFor();
    await openInbox(page);
    await expect.poll(() => part(page, "item").count()).toBeGreaterThanOrEqual(3);
    await saveScreenshot(browser, page, `${folder}widget-sidebar.png`);
    await wide.close();

    const phone = await browser.newContext({ viewport: { width: 390, height: 760 } });
    const small = await phone.newPage();
    await openDemo(small, demo.url, "demo-acme", "alice");
    await openInbox(small);
    await expect.poll(() => part(small, "item").count()).toBeGreaterThanOrEqual(3);
    const sheet = await part(small, "panel").boundingBox();
    expect(sheet?.width).toBe(390);
    await saveScreenshot(browser, small, `${folder}widget-phone.png`);
    await phone.close();
    for (const name of ["widget-sidebar.png", "widget-phone.png"]) {
      expect(statSync(`${folder}${name}`).size).toBeGreaterThan(10_000);
    }
  });
});
