/**
 * Where real sites put a bell, and what must hold in each: the open inbox entirely on screen,
 * nothing of the page on top of it, an item that takes a real click, and nothing scrolled by
 * opening it; toasts on screen and clamped.
 */
import { expect } from "@esm-bundle/chai";
import { sendMouse, setViewport } from "@web/test-runner-commands";
import { $, $$, mountFor, openPanel } from "../test/bell.ts";
import { insertNotification, waitFor } from "../test/notify-server.ts";
import "./define.ts";
import type { NotifyBell } from "./notify-bell.ts";
import { PopoverController } from "./view/popover-controller.ts";

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 700 };

/** A page fragment for one test, removed afterwards. */
function page(html: string): HTMLElement {
  const root = document.createElement("div");
  root.dataset.layout = "";
  root.innerHTML = html;
  document.body.append(root);
  return root;
}

function expectOnScreen(box: Element, what: string) {
  const r = box.getBoundingClientRect();
  expect(r.width, `${what} width`).to.be.greaterThan(0);
  expect(
    [r.left >= 0, r.top >= 0, r.right <= innerWidth, r.bottom <= innerHeight],
    `${what} at ${JSON.stringify(r)} in ${innerWidth}x${innerHeight}`,
  ).to.deep.equal([true, true, true, true]);
}

/** Nothing of the page covers `box`: hit-testing near its corners and centre finds it. */
function expectUncovered(el: NotifyBell, box: Element, what: string) {
  const r = box.getBoundingClientRect();
  // Inside the rounded corners, which hit-testing rightly skips.
  const inset = Math.min(12, r.width / 2, r.height / 2);
  const points = [
    [r.left + inset, r.top + inset],
    [r.right - inset, r.top + inset],
    [r.left + inset, r.bottom - inset],
    [r.right - inset, r.bottom - inset],
    [r.left + r.width / 2, r.top + r.height / 2],
  ] as const;
  for (const [x, y] of points) {
    const hit = el.shadowRoot?.elementFromPoint(x, y) ?? null;
    expect(hit !== null && box.contains(hit), `${what} is what is at (${x}, ${y})`).to.equal(true);
  }
}

/** Opens the inbox and checks it is usable: on screen, on top, and an item takes a click. */
async function expectUsableInbox(el: NotifyBell) {
  const scrolls = () => [
    scrollX,
    scrollY,
    ...[...document.querySelectorAll("[data-scroll]")].map((s) => s.scrollTop),
  ];
  const before = scrolls();
  await openPanel(el, 2);
  const panel = $(el, ".panel") as HTMLElement;
  expectOnScreen(panel, "the panel");
  expectUncovered(el, panel, "the panel");
  expect(scrolls(), "nothing scrolled").to.deep.equal(before);
  let clicked = "";
  el.addEventListener("notify-click", (e) => {
    clicked = e.detail.notification.title;
  });
  const item = $(el, ".list > .item .item-main") as HTMLElement;
  const r = item.getBoundingClientRect();
  await sendMouse({
    type: "click",
    position: [Math.round(r.left + 20), Math.round(r.top + r.height / 2)],
  });
  await waitFor(() => clicked, "notify-click from a real click on the first row");
  expect(clicked).to.equal("second");
}

afterEach(async () => {
  for (const el of document.querySelectorAll("notify-bell, [data-layout]")) el.remove();
  await setViewport({ width: 800, height: 600 });
  scrollTo(0, 0);
});

describe("<notify-bell> where sites put it", () => {
  it("opens on screen from a left sidebar", async () => {
    await setViewport(DESKTOP);
    const root = page(`<nav style="position: fixed; inset: 0 auto 0 0; width: 64px; padding: 12px;
      background: #222"></nav>`);
    const { el } = await mountFor(
      "sidebar",
      ["first", "second"],
      {},
      root.firstElementChild as Element,
    );
    await expectUsableInbox(el);
  });

  it("opens on screen from a bottom corner launcher", async () => {
    await setViewport(DESKTOP);
    const root = page(`<div style="position: fixed; right: 16px; bottom: 16px"></div>`);
    const { el } = await mountFor(
      "corner",
      ["first", "second"],
      {},
      root.firstElementChild as Element,
    );
    await expectUsableInbox(el);
  });

  it("opens as a sheet in a phone header with an avatar to its right", async () => {
    await setViewport(PHONE);
    const root = page(`<header style="display: flex; justify-content: flex-end; align-items: center;
      gap: 8px; padding: 8px"><span class="bell-slot"></span>
      <span style="width: 40px; height: 40px; border-radius: 50%; background: #888"></span></header>`);
    const { el } = await mountFor(
      "phone",
      ["first", "second"],
      {},
      root.querySelector(".bell-slot") as Element,
    );
    await expectUsableInbox(el);
    const panel = $(el, ".panel") as HTMLElement;
    expect(panel.getBoundingClientRect().width).to.equal(PHONE.width);
  });

  it("escapes a clipped, transformed, scrolling container", async () => {
    await setViewport(DESKTOP);
    const root = page(`<div data-scroll style="margin: 200px 0 0 400px; width: 300px; height: 60px;
      overflow: auto; transform: translateZ(0)"><div style="height: 400px; padding-top: 10px">
      <span class="bell-slot"></span></div></div>`);
    const { el } = await mountFor(
      "clipped",
      ["first", "second"],
      {},
      root.querySelector(".bell-slot") as Element,
    );
    await expectUsableInbox(el);
  });

  it("stays on top under a sticky header that page content overlaps", async () => {
    await setViewport(DESKTOP);
    const root = page(`<header style="position: sticky; top: 0; z-index: 10; display: flex;
      justify-content: flex-end; padding: 8px; background: #eee"><span class="bell-slot"></span></header>
      <main style="position: relative; z-index: 20; height: 2000px; margin-top: 4px;
      background: #c00"></main>`);
    scrollTo(0, 300);
    const { el } = await mountFor(
      "sticky",
      ["first", "second"],
      {},
      root.querySelector(".bell-slot") as Element,
    );
    await expectUsableInbox(el);
  });

  it("opens upwards or sideways as placement asks, and flips when it has no room", async () => {
    await setViewport(DESKTOP);
    const root = page(`<div style="position: fixed; left: 600px; top: 400px"></div>`);
    const { el } = await mountFor(
      "placement",
      ["first", "second"],
      { placement: "top-start" },
      root.firstElementChild as Element,
    );
    await openPanel(el, 2);
    const bell = ($(el, ".bell") as HTMLElement).getBoundingClientRect();
    const panel = ($(el, ".panel") as HTMLElement).getBoundingClientRect();
    expect(panel.bottom).to.be.at.most(bell.top);
    expect(panel.left).to.be.closeTo(bell.left, 1);
  });
});

describe("<notify-bell> without CSS anchor positioning (the measured fallback)", () => {
  it("opens on screen from a scrolling left sidebar, and follows the bell when it scrolls", async () => {
    await setViewport(DESKTOP);
    const root = page(`<div data-scroll style="position: fixed; inset: 0 auto 0 0; width: 72px;
      overflow: auto"><div style="height: 3000px; padding: 600px 16px 0"><span class="bell-slot">
      </span></div></div>`);
    const { el } = await mountFor(
      "measured",
      ["first", "second"],
      {},
      root.querySelector(".bell-slot") as Element,
    );
    new PopoverController(el, false);
    await expectUsableInbox(el);
    const panel = $(el, ".panel") as HTMLElement;
    expect(panel.hasAttribute("data-measured")).to.equal(true);
    const scroller = root.querySelector("[data-scroll]") as HTMLElement;
    scroller.scrollTop = 560;
    await waitFor(() => {
      const bell = ($(el, ".bell") as HTMLElement).getBoundingClientRect();
      return Math.abs(panel.getBoundingClientRect().top - (bell.bottom + 6)) < 1;
    }, "the panel under the bell after the scroll");
    expectOnScreen(panel, "the panel after the scroll");
  });
});

describe("<notify-bell> toasts where sites put it", () => {
  it("shows a toast on screen from a bell in a blurred sticky header", async () => {
    await setViewport(DESKTOP);
    const root =
      page(`<header style="position: sticky; top: 0; z-index: 10; backdrop-filter: blur(8px);
      display: flex; justify-content: flex-end; padding: 8px"><span class="bell-slot"></span></header>
      <main style="height: 2000px"></main>`);
    const { el, sub } = await mountFor("blur", [], {}, root.querySelector(".bell-slot") as Element);
    await insertNotification(sub, "Over the blur");
    const toast = await waitFor(() => $(el, ".toast"), "the toast");
    expectOnScreen(toast, "the toast");
    expectUncovered(el, toast, "the toast");
  });

  it("clamps long toasts on a phone and keeps every dismiss button reachable", async () => {
    await setViewport(PHONE);
    const { el, sub } = await mountFor("long", []);
    const long = "A very long notification text that goes on and on. ".repeat(10);
    for (let i = 0; i < 3; i++) await insertNotification(sub, `${i} ${long}`, { body: long });
    await waitFor(() => $$(el, ".toast").length === 3, "three toasts");
    const stack = $(el, ".toasts") as HTMLElement;
    expectOnScreen(stack, "the toast stack");
    for (const toast of $$(el, ".toast")) {
      expect(toast.getBoundingClientRect().height).to.be.below(200);
      const dismiss = toast.querySelector("button:last-child") as HTMLElement;
      expectOnScreen(dismiss, "a dismiss button");
      expectUncovered(el, dismiss, "a dismiss button");
    }
  });

  it("hides toasts while the panel is open", async () => {
    const { el, sub } = await mountFor("hidden-toasts", ["first", "second"]);
    await insertNotification(sub, "third");
    await waitFor(() => $(el, ".toast"), "the toast");
    await openPanel(el, 3);
    expect($(el, ".toasts")).to.equal(null);
  });
});
