import { expect } from "@esm-bundle/chai";
import { sendKeys } from "@web/test-runner-commands";
import "axe-core";
import { $, $$, deepActive, mount, mountFor, openPanel } from "../test/bell.ts";
import {
  insertNotification,
  mintToken,
  serverInfo,
  startServer,
  stopServer,
  uniqueUser,
  waitFor,
} from "../test/notify-server.ts";
import { openTab } from "../test/tab-frame.ts";
import "./define.ts";
import type { NotifyBell } from "./notify-bell.ts";

/** axe-core is a UMD script: imported for its side effect, it sets `window.axe`. */
const axe = (globalThis as unknown as { axe: typeof import("axe-core") }).axe;

async function expectNoAxeViolations(el: NotifyBell) {
  // Mid-animation a toast is half transparent, and its contrast is not what the user gets.
  await Promise.all(el.shadowRoot?.getAnimations().map((a) => a.finished) ?? []);
  const { violations } = await axe.run(el);
  const report = violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" | ")}`);
  expect(report).to.deep.equal([]);
}

afterEach(() => {
  for (const el of document.querySelectorAll("notify-bell, iframe")) el.remove();
  for (const style of document.querySelectorAll("style[data-test]")) style.remove();
});

describe("<notify-bell> without a token", () => {
  it("renders a named bell with no badge and injects nothing into the page", async () => {
    const headBefore = document.head.innerHTML;
    const el = await mount();
    const bell = $(el, "button.bell");
    expect(bell?.getAttribute("aria-label")).to.equal("Notifications");
    expect(bell?.getAttribute("aria-expanded")).to.equal("false");
    expect($(el, ".badge")?.hidden).to.equal(true);
    expect(el.children.length).to.equal(0);
    expect(document.head.innerHTML).to.equal(headBefore);
  });

  it("takes its language from the nearest lang attribute", async () => {
    const wrapper = document.createElement("div");
    wrapper.lang = "ko-KR";
    document.body.append(wrapper);
    const el = document.createElement("notify-bell");
    wrapper.append(el);
    await el.updateComplete;
    expect(el.hasAttribute("lang")).to.equal(false);
    expect($(el, ".bell")?.getAttribute("aria-label")).to.equal("알림");
    wrapper.remove();
  });

  it("speaks Korean from lang, and takes string overrides", async () => {
    const el = await mount({ lang: "ko" });
    expect($(el, ".bell")?.getAttribute("aria-label")).to.equal("알림");
    el.strings = { bellLabel: () => "Inbox" };
    await el.updateComplete;
    expect($(el, ".bell")?.getAttribute("aria-label")).to.equal("Inbox");
  });
});

describe("<notify-bell> on the real server", () => {
  it("updates the badge, shows a toast and announces when a row is inserted", async () => {
    const { el, sub } = await mountFor("badge", ["first"]);
    expect($(el, ".badge")?.textContent?.trim()).to.equal("1");
    const received: string[] = [];
    el.addEventListener("notify-receive", (e) => received.push(e.detail.notification.title));
    await insertNotification(sub, "Your order shipped", { body: "Line one\nLine two" });
    await waitFor(() => el.unreadCount === 2, "the count from the event");
    await el.updateComplete;
    expect($(el, ".badge")?.textContent?.trim()).to.equal("2");
    expect($(el, ".bell")?.getAttribute("aria-label")).to.equal("Notifications, 2 new");
    expect(received).to.deep.equal(["Your order shipped"]);
    expect(document.hasFocus()).to.equal(true);
    const toast = $(el, ".toast");
    expect(toast?.querySelector(".title")?.textContent).to.equal("Your order shipped");
    expect(toast?.querySelector(".body")?.textContent).to.equal("Line one\nLine two");
    expect($(el, "[aria-live=polite]")?.textContent?.trim()).to.equal(
      "New notification: Your order shipped",
    );
  });

  it('keeps working on a page with lang="en_US"', async () => {
    const root = document.documentElement;
    const before = root.getAttribute("lang");
    root.setAttribute("lang", "en_US");
    try {
      const { el, sub } = await mountFor("en_US", ["before"]);
      await insertNotification(sub, "after");
      await waitFor(() => $(el, ".toast"), "the toast");
      expect($(el, ".badge")?.textContent?.trim()).to.equal("2");
      await openPanel(el, 2);
      expect($(el, ".time")?.textContent).to.match(/now|seconds? ago/);
      expect($(el, ".time")?.getAttribute("title")).to.not.equal("");
    } finally {
      if (before === null) root.removeAttribute("lang");
      else root.setAttribute("lang", before);
    }
  });

  it("renders hostile text as text and never runs it", async () => {
    const hostile = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>`;
    const { el } = await mountFor("hostile", [hostile]);
    await openPanel(el, 1);
    const row = $(el, ".list > .item");
    expect(row?.querySelector(".title")?.textContent).to.equal(hostile);
    expect(el.shadowRoot?.querySelector("img, script")).to.equal(null);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it("works end to end from the keyboard", async () => {
    const { el } = await mountFor("keys", ["one", "two", "three"]);
    const events: string[] = [];
    el.addEventListener("notify-open", () => events.push("open"));
    el.addEventListener("notify-close", () => events.push("close"));
    $(el, ".bell")?.focus();
    await sendKeys({ press: "Enter" });
    await waitFor(() => $$(el, ".list > .item").length === 3, "the list");
    await el.updateComplete;
    expect(deepActive()?.closest(".item")?.querySelector(".title")?.textContent).to.equal("three");
    await sendKeys({ press: "ArrowDown" });
    expect(deepActive()?.closest(".item")?.querySelector(".title")?.textContent).to.equal("two");
    await sendKeys({ press: "End" });
    expect(deepActive()?.closest(".item")?.querySelector(".title")?.textContent).to.equal("one");
    await sendKeys({ press: "ArrowUp" });
    expect(deepActive()?.closest(".item")?.querySelector(".title")?.textContent).to.equal("two");
    await sendKeys({ press: "Escape" });
    await el.updateComplete;
    expect($(el, ".panel")).to.equal(null);
    expect(deepActive()).to.equal($(el, ".bell"));
    await sendKeys({ press: "Space" });
    await el.updateComplete;
    expect($(el, ".panel")).to.not.equal(null);
    expect(events).to.deep.equal(["open", "close", "open"]);
  });

  it("marks an item read on click, fires a cancelable notify-click, and follows the server's count", async () => {
    const sub = uniqueUser("click");
    await insertNotification(sub, "go", { url: "/orders/7" });
    await insertNotification(sub, "stay");
    const { server } = await serverInfo();
    const el = await mount({ server, token: await mintToken(sub) });
    await waitFor(() => el.unreadCount === 2, "the count");
    await openPanel(el, 2);
    let detail: { url: string | null } | null = null;
    el.addEventListener("notify-click", (e) => {
      detail = e.detail;
      e.preventDefault();
    });
    const link = $(el, ".item[data-id] a.item-main:not([hidden])") as HTMLAnchorElement;
    expect(link.getAttribute("href")).to.equal(new URL("/orders/7", location.href).href);
    const before = location.href;
    link.click();
    expect(detail).to.deep.equal({
      notification: (detail as unknown as { notification: object }).notification,
      url: link.href,
      ctrlKey: false,
      metaKey: false,
      shiftKey: false,
      altKey: false,
      newTab: false,
    });
    expect(location.href).to.equal(before);
    await waitFor(() => el.unreadCount === 1, "the count after mark read");
    expect(link.closest(".item")?.classList.contains("unread")).to.equal(false);
    expect($$(el, ".item.unread").length).to.equal(1);
  });

  it("marks all read, archives, and filters", async () => {
    const { el } = await mountFor("actions", ["a", "b", "c"]);
    await openPanel(el, 3);
    ($(el, ".item .icon-button[aria-label^='Archive']") as HTMLButtonElement).click();
    await waitFor(() => el.unreadCount === 2, "the count after archive");
    expect($$(el, ".list > .item").length).to.equal(2);
    ($(el, ".header .text-button") as HTMLButtonElement).click();
    await waitFor(() => el.unreadCount === 0, "the count after mark all read");
    const filters = $$(el, ".filters button");
    filters[2]?.click();
    await waitFor(() => $$(el, ".list > .item").length === 1, "the archived list");
    expect($(el, ".list .title")?.textContent).to.equal("c");
    filters[0]?.click();
    await waitFor(() => $(el, "[part=empty]")?.textContent?.includes("caught up"), "empty state");
  });

  it("shows it is offline, then refetches list and count after a reset", async () => {
    const { el, sub } = await mountFor("reset", ["old"]);
    await openPanel(el, 1);
    await stopServer();
    await waitFor(() => $(el, "[part=notice]"), "the offline notice");
    // More than the server's replay limit (5 in tests): it answers with `reset`.
    for (let i = 0; i < 7; i++) await insertNotification(sub, `missed ${i}`);
    await startServer();
    await waitFor(() => $$(el, ".list > .item").length === 8, "the refetched list", 15000);
    expect(el.unreadCount).to.equal(8);
    expect($(el, "[part=notice]")).to.equal(null);
  });

  it("scrolls through pages with the cursor API", async () => {
    const titles = Array.from({ length: 25 }, (_, i) => `n${i}`);
    const { el } = await mountFor("pages", titles);
    await openPanel(el, 20);
    const scroller = $(el, ".scroll") as HTMLElement;
    scroller.scrollTop = scroller.scrollHeight;
    await waitFor(() => $$(el, ".list > .item").length === 25, "the second page");
    const ids = $$(el, ".list > .item").map((r) => Number(r.dataset.id));
    expect(ids).to.deep.equal([...ids].sort((a, b) => b - a));
  });

  for (const theme of ["light", "dark"]) {
    it(`has zero axe-core violations, open with items and a toast (${theme})`, async () => {
      const { el, sub } = await mountFor(`axe-${theme}`, ["Read me", "And me"], { theme });
      await insertNotification(sub, "Fresh", { body: "With a body", url: "https://example.com" });
      await waitFor(() => $(el, ".toast"), "the toast");
      await openPanel(el, 3);
      await expectNoAxeViolations(el);
    });
  }

  it("has zero axe-core violations with avatars and action buttons, one of them taken", async () => {
    const { el, sub } = await mountFor("axe-rich");
    const invite = {
      actorName: "Ana Lima",
      actions: [
        { id: "accept", label: "Accept", style: "primary" },
        { id: "open", label: "Open", url: "/docs/q3", style: "secondary" },
      ],
    };
    await insertNotification(sub, "Ana invited you", invite);
    await insertNotification(sub, "Ana invited you again", {
      ...invite,
      actorAvatarUrl: "/avatars/missing.png",
    });
    await waitFor(() => el.unreadCount === 2, "both counted");
    await openPanel(el, 2);
    ($$(el, ".list .act.primary")[1] as HTMLButtonElement).click();
    await waitFor(() => $$(el, ".list .act[disabled]").length === 2, "the action done");
    await expectNoAxeViolations(el);
  });

  it("asks tokenProvider for a new token after a 401 and connects", async () => {
    const sub = uniqueUser("provider");
    const { server } = await serverInfo();
    const el = document.createElement("notify-bell");
    let calls = 0;
    el.tokenProvider = () => {
      calls++;
      return mintToken(sub);
    };
    el.setAttribute("server", server);
    el.setAttribute("token", await mintToken(sub, { badSignature: true }));
    document.body.append(el);
    await waitFor(() => el.status === "open", "the stream to open");
    await insertNotification(sub, "after 401");
    await waitFor(() => el.unreadCount === 1, "the count");
    expect(calls).to.equal(1);
  });

  it("shows nothing of the previous user after the token changes to another", async () => {
    const { el } = await mountFor("first-user", ["private"]);
    await openPanel(el, 1);
    const other = uniqueUser("second-user");
    el.token = await mintToken(other);
    await waitFor(() => el.unreadCount === 0 && el.status === "open", "the second user's stream");
    await waitFor(() => $$(el, ".list > .item").length === 0, "the first user's list to go");
    await insertNotification(other, "theirs");
    await waitFor(() => $(el, ".list .title")?.textContent === "theirs", "the new user's row");
  });

  it("works under a strict Content-Security-Policy", async () => {
    const sub = uniqueUser("csp");
    const tab = await openTab(await mintToken(sub), {
      csp: "default-src 'none'; script-src SERVER; connect-src SERVER",
    });
    await insertNotification(sub, "allowed");
    await waitFor(() => tab.el.unreadCount === 1, "the count");
    const bell = tab.el.shadowRoot?.querySelector(".bell") as HTMLElement;
    expect(bell.getBoundingClientRect().width).to.equal(40);
  });

  it("keeps its look under hostile page CSS", async () => {
    const { el } = await mountFor("css", ["Styled"]);
    await openPanel(el, 1);
    const measure = () => {
      const title = $(el, ".title") as HTMLElement;
      const bell = $(el, ".bell") as HTMLElement;
      const t = getComputedStyle(title);
      const b = bell.getBoundingClientRect();
      return [t.fontSize, t.fontFamily, t.color, t.lineHeight, t.letterSpacing, b.width, b.height];
    };
    const clean = measure();
    const style = document.createElement("style");
    style.dataset.test = "";
    style.textContent = `* { font: 40px serif !important; color: red !important;
      line-height: 5 !important; letter-spacing: 10px !important; text-transform: uppercase !important; }
      button { padding: 50px !important; background: red !important; }
      notify-bell { font-size: 40px; color: red; }`;
    document.head.append(style);
    expect(measure()).to.deep.equal(clean);
  });
});
