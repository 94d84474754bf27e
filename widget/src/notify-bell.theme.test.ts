/**
 * Theming as documented: `--notify-*` from any ancestor, `theme="auto"` following the page's
 * `color-scheme`, states that look like what they are.
 */
import { expect } from "@esm-bundle/chai";
import { emulateMedia } from "@web/test-runner-commands";
import { $, mountFor, openPanel } from "../test/bell.ts";
import { waitFor } from "../test/notify-server.ts";
import "./define.ts";

const root = document.documentElement;
const bg = (el: Element | null) => (el ? getComputedStyle(el).backgroundColor : "");

afterEach(async () => {
  for (const el of document.querySelectorAll("notify-bell, [data-theme-test]")) el.remove();
  root.removeAttribute("style");
  await emulateMedia({ colorScheme: "light" });
});

describe("<notify-bell> theming", () => {
  it("takes --notify-* from :root and from any ancestor", async () => {
    root.style.setProperty("--notify-bg", "rgb(1, 2, 3)");
    root.style.setProperty("--notify-bell-size", "52px");
    const wrapper = document.createElement("div");
    wrapper.dataset.themeTest = "";
    wrapper.style.setProperty("--notify-accent", "rgb(4, 5, 6)");
    document.body.append(wrapper);
    const { el } = await mountFor("theme-root", ["one", "two"], {}, wrapper);
    await openPanel(el, 2);
    expect(bg($(el, ".panel"))).to.equal("rgb(1, 2, 3)");
    expect($(el, ".bell")?.getBoundingClientRect().width).to.equal(52);
    expect(bg($(el, ".dot"))).to.equal("rgb(4, 5, 6)");
    el.style.setProperty("--notify-bg", "rgb(7, 8, 9)");
    expect(bg($(el, ".panel"))).to.equal("rgb(7, 8, 9)");
  });

  it('follows the page\'s own color-scheme with theme="auto", and the attribute over it', async () => {
    root.style.colorScheme = "dark";
    const { el } = await mountFor("theme-page", ["one"]);
    await openPanel(el, 1);
    expect(bg($(el, ".panel"))).to.equal("rgb(31, 41, 55)");
    root.style.colorScheme = "light";
    await waitFor(() => bg($(el, ".panel")) === "rgb(255, 255, 255)", "the page's switch to light");
    el.theme = "dark";
    await el.updateComplete;
    expect(bg($(el, ".panel"))).to.equal("rgb(31, 41, 55)");
  });

  it("follows the system when the page declares no color-scheme", async () => {
    await emulateMedia({ colorScheme: "dark" });
    const { el } = await mountFor("theme-system", ["one"]);
    await openPanel(el, 1);
    expect(bg($(el, ".panel"))).to.equal("rgb(31, 41, 55)");
  });

  it("makes a disabled button look disabled", async () => {
    const { el } = await mountFor("theme-disabled", ["one"]);
    await openPanel(el, 1);
    const markAll = $(el, ".header .text-button") as HTMLButtonElement;
    expect(Number(getComputedStyle(markAll).opacity)).to.equal(1);
    markAll.click();
    await waitFor(() => el.unreadCount === 0, "mark all read");
    await el.updateComplete;
    expect(markAll.getAttribute("aria-disabled")).to.equal("true");
    expect(Number(getComputedStyle(markAll).opacity)).to.be.below(1);
  });
});
