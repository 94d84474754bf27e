import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { badgeCount, launchBrowser, openDemo } from "./support/browser.ts";
import { type DemoServer, insert, startDemoServer } from "./support/demo-server.ts";
import { received, recordWidgetEvents } from "./support/received.ts";

let demo: DemoServer;
let browser: Browser;

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe("a server crash", () => {
  it("loses nothing and repeats nothing: SIGKILL and restart during a burst of 50 inserts", async () => {
    const context = await browser.newContext();
    await recordWidgetEvents(context);
    const page = await context.newPage();
    await openDemo(page, demo.url, "demo-acme", "alice");

    // The tenant app keeps inserting while the server dies and comes back: its database
    // (the test's Postgres) stays up, so every insert commits.
    const titles = Array.from({ length: 50 }, (_, i) => `Burst ${String(i + 1).padStart(2, "0")}`);
    let inserted = 0;
    const writer = (async () => {
      for (const title of titles) {
        await insert(demo.sql, "demo-acme", "alice", title);
        inserted++;
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    })();
    await expect.poll(() => received(page).then((r) => r.length)).toBeGreaterThanOrEqual(5);
    const killedAt = inserted;
    await demo.kill();
    await demo.start();
    const backAt = inserted;
    await writer;

    // Waits for every one; then a moment more, in which a duplicate would show up.
    await expect
      .poll(() => received(page).then((r) => r.length), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(50);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await received(page)).toEqual(titles);
    expect(await badgeCount(page)).toBe(50);
    // The crash really fell inside the burst: rows were committed while no server ran.
    console.log(`killed after ${killedAt} inserts, back after ${backAt}`);
    expect(killedAt).toBeGreaterThanOrEqual(5);
    expect(backAt).toBeGreaterThan(killedAt);
    await context.close();
  });
});
