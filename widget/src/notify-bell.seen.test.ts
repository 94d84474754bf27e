/**
 * Seen (issue #14): rows are marked seen when at least half of one has been visible for a
 * second, in one request; opening the panel is not seeing; the bell counts unseen by default.
 */
import { expect } from "@esm-bundle/chai";
import { $, $$, mountFor, openPanel } from "../test/bell.ts";
import { waitFor } from "../test/notify-server.ts";
import "./define.ts";
import type { NotifyBell } from "./notify-bell.ts";

afterEach(() => {
  for (const el of document.querySelectorAll("notify-bell")) el.remove();
});

const badge = (el: NotifyBell) => ($(el, ".badge")?.hidden ? "" : $(el, ".badge")?.textContent);
const seenRequests = () =>
  performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/v1/notifications/seen"))
    .length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("<notify-bell> seen", () => {
  it("counts unseen on the bell, and marks the visible rows seen after a second, in one request", async () => {
    const { el } = await mountFor("seen", ["one", "two", "three"]);
    const { el: other } = await mountFor("seen-other", []);
    await waitFor(() => badge(el) === "3", "3 new on the bell");
    expect($(el, ".bell")?.getAttribute("aria-label")).to.equal("Notifications, 3 new");
    performance.clearResourceTimings();

    await openPanel(el, 3);
    // Opening the panel is not seeing: nothing is sent before the second is up.
    await sleep(500);
    expect(seenRequests()).to.equal(0);
    await waitFor(() => el.unreadCount === 3 && badge(el) === "", "the badge cleared", 5_000);
    expect(seenRequests()).to.equal(1);
    expect($$(el, "[data-unseen]")).to.have.length(0);
    // Still unread: seen is not read.
    expect($$(el, ".item.unread")).to.have.length(3);
    expect(badge(other)).to.equal("");
  });

  it("shows the unread count instead with badge=unread", async () => {
    const { el } = await mountFor("badge-unread", ["a", "b"], { badge: "unread" });
    await openPanel(el, 2);
    await sleep(1_500);
    expect(badge(el)).to.equal("2");
    expect($(el, ".bell")?.getAttribute("aria-label")).to.equal("Notifications, 2 unread");
  });

  it("does not see rows below the fold until they are scrolled into view", async () => {
    const titles = Array.from({ length: 12 }, (_, i) => `row ${i}`);
    const { el } = await mountFor("fold", titles);
    el.style.setProperty("--notify-panel-height", "220px");
    await openPanel(el, 12);
    await waitFor(() => $$(el, "[data-unseen]").length < 12, "the visible rows seen", 5_000);
    await sleep(1_500);
    const left = $$(el, "[data-unseen]").length;
    expect(left).to.be.greaterThan(0);
    expect(badge(el)).to.equal(String(left));
    const scroller = $(el, ".scroll") as HTMLElement;
    scroller.scrollTop = scroller.scrollHeight;
    await waitFor(() => $$(el, "[data-unseen]").length < left, "the rows scrolled to", 5_000);
  });

  it("says new in Korean", async () => {
    const { el } = await mountFor("seen-ko", ["하나"], { lang: "ko" });
    expect($(el, ".bell")?.getAttribute("aria-label")).to.equal("알림, 새 알림 1");
  });
});
