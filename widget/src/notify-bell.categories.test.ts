/**
 * Category tabs and the preferences view against the real server: each tab lists its
 * category with its own unread count from the server, kept live by the stream; "Mark all as
 * read" reads only the visible tab's; preferences set here reach another tab of the user
 * live, and a category turned off as toasts pops nothing up. Korean, keyboard and axe too.
 */
import { expect } from "@esm-bundle/chai";
import { sendKeys } from "@web/test-runner-commands";
import "axe-core";
import { $, $$, deepActive, mount } from "../test/bell.ts";
import {
  declareCategory,
  insertNotification,
  mintToken,
  serverInfo,
  uniqueUser,
  waitFor,
} from "../test/notify-server.ts";
import "./define.ts";
import type { NotifyBell } from "./notify-bell.ts";

/** axe-core is a UMD script: imported for its side effect, it sets `window.axe`. */
const axe = (globalThis as unknown as { axe: typeof import("axe-core") }).axe;

before(async () => {
  await declareCategory("cat-comments", { en: "Comments", ko: "댓글" }, { position: 1 });
  await declareCategory(
    "cat-security",
    { en: "Security", ko: "보안" },
    {
      position: 2,
      mutable: false,
    },
  );
});

afterEach(() => {
  for (const el of document.querySelectorAll("notify-bell")) el.remove();
});

async function bellFor(label: string, attributes: Record<string, string> = {}) {
  const sub = uniqueUser(label);
  const { server } = await serverInfo();
  const el = await mount({ server, token: await mintToken(sub), ...attributes });
  await waitFor(() => el.status === "open", "the stream");
  return { el, sub };
}

const tabs = (el: NotifyBell) => $$(el, ".tabs button");
const tabText = (el: NotifyBell) => tabs(el).map((b) => b.textContent?.replace(/\s+/g, " ").trim());
const titles = (el: NotifyBell) => $$(el, ".list .title").map((t) => t.textContent);

async function open(el: NotifyBell) {
  el.open = true;
  await waitFor(() => tabs(el).length > 0 || $(el, ".header"), "the panel");
}

describe("<notify-bell> category tabs", () => {
  it("shows the chosen categories as tabs, each with its own unread count, kept live", async () => {
    const { el, sub } = await bellFor("tabs", { categories: "cat-comments cat-security" });
    await insertNotification(sub, "c1", { category: "cat-comments" });
    await insertNotification(sub, "s1", { category: "cat-security" });
    await insertNotification(sub, "plain");
    await waitFor(() => el.unreadCount === 3, "three counted");
    await open(el);
    await waitFor(() => tabs(el).length === 3, "three tabs");
    expect(tabText(el)).to.deep.equal(["All 3", "Comments 1", "Security 1"]);

    tabs(el)[1]?.click();
    await waitFor(() => titles(el).join() === "c1", "the Comments tab's list");
    expect(tabs(el)[1]?.getAttribute("aria-pressed")).to.equal("true");
    const { violations } = await axe.run(el);
    expect(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" | ")}`),
    ).to.deep.equal([]);

    // Live: a new comment joins this tab's list and count; a security one only its count.
    await insertNotification(sub, "c2", { category: "cat-comments" });
    await insertNotification(sub, "s2", { category: "cat-security" });
    await waitFor(() => tabText(el).join() === "All 5,Comments 2,Security 2", "live counts");
    await waitFor(() => titles(el).join() === "c2,c1", "the live comment in its tab");

    // "Mark all as read" reads this tab's only.
    $$(el, ".header .text-button")[0]?.click();
    await waitFor(() => tabText(el).join() === "All 3,Comments,Security 2", "the tab read");
    expect(el.unreadCount).to.equal(3);
  });

  it("shows every declared category for categories='*', in Korean, and no tabs without the attribute", async () => {
    const { el } = await bellFor("tabs-all", { categories: "*", lang: "ko" });
    await open(el);
    await waitFor(() => tabs(el).length >= 3, "the tabs");
    expect(tabText(el).slice(0, 3)).to.deep.equal(["전체", "댓글", "보안"]);
    expect($(el, ".tabs")?.getAttribute("aria-label")).to.equal("분류");

    const { el: plain } = await bellFor("tabs-none");
    await open(plain);
    await waitFor(() => $(plain, ".header"), "its panel");
    await new Promise((r) => setTimeout(r, 300));
    expect(tabs(plain)).to.have.length(0);
  });
});

describe("<notify-bell> preferences", () => {
  it("sets a category off in the inbox: its rows and counts go, and another tab of the user follows live", async () => {
    const { el, sub } = await bellFor("prefs", { categories: "*" });
    await insertNotification(sub, "c1", { category: "cat-comments" });
    await insertNotification(sub, "plain");
    await waitFor(() => el.unreadCount === 2, "both counted");
    const { server } = await serverInfo();
    const other = await mount({ server, token: await mintToken(sub) });
    await waitFor(() => other.unreadCount === 2, "the other tab's count");

    await open(el);
    const gear = await waitFor(() => $(el, ".header [aria-pressed]"), "the preferences button");
    expect(gear.getAttribute("aria-label")).to.equal("Preferences");
    gear.click();
    const rows = await waitFor(() => {
      const found = $$(el, ".preferences fieldset");
      return found.length >= 2 ? found : null;
    }, "a row per category");
    const comments = rows.find((r) => r.textContent?.includes("Comments")) as HTMLElement;
    const security = rows.find((r) => r.textContent?.includes("Security")) as HTMLElement;
    expect(
      [...security.querySelectorAll("input")].map((i) => [i.checked, i.disabled]),
    ).to.deep.equal([
      [true, true],
      [true, true],
    ]);
    const [inInbox] = [...comments.querySelectorAll("input")];
    inInbox?.click();
    await waitFor(() => el.unreadCount === 1, "the category out of the count");
    // Another tab of the user, through the stream's preferences event.
    await waitFor(() => other.unreadCount === 1, "the other tab's count");

    const { violations } = await axe.run(el);
    expect(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" | ")}`),
    ).to.deep.equal([]);

    // Back on: both count again.
    inInbox?.click();
    await waitFor(() => el.unreadCount === 2 && other.unreadCount === 2, "the category back");
  });

  it("pops up no toast for a category turned off as toasts, still counting it", async () => {
    const { el, sub } = await bellFor("prefs-toast", { categories: "*" });
    const { server } = await serverInfo();
    const set = await fetch(`${server}/v1/preferences`, {
      method: "PUT",
      headers: {
        authorization: `Bearer ${await mintToken(sub)}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        preferences: [{ category: "cat-comments", inInbox: true, asToast: false }],
      }),
    });
    expect(set.status).to.equal(200);
    await insertNotification(sub, "quiet", { category: "cat-comments" });
    await insertNotification(sub, "loud");
    await waitFor(() => el.unreadCount === 2, "both counted");
    await waitFor(() => $$(el, ".toast .title").length > 0, "a toast");
    await new Promise((r) => setTimeout(r, 500));
    expect($$(el, ".toast .title").map((t) => t.textContent)).to.deep.equal(["loud"]);
  });

  it("is reached by keyboard: the preferences button and each switch", async () => {
    const { el } = await bellFor("prefs-keys", { categories: "*" });
    await open(el);
    const gear = await waitFor(() => $(el, ".header [aria-pressed]"), "the preferences button");
    gear.focus();
    await sendKeys({ press: "Enter" });
    await waitFor(() => $$(el, ".preferences input").length >= 2, "the switches");
    // The view changed under the header, not the header: focus stays on the same button.
    expect(deepActive()).to.equal(gear);
    expect(gear.getAttribute("aria-pressed")).to.equal("true");
    // Past the close button, the first switch.
    const reached: string[] = [];
    for (let i = 0; i < 3 && (deepActive() as HTMLInputElement | null)?.type !== "checkbox"; i++) {
      await sendKeys({ press: "Tab" });
      reached.push((deepActive() as HTMLElement | null)?.getAttribute("aria-label") ?? "");
    }
    expect((deepActive() as HTMLInputElement | null)?.type, reached.join()).to.equal("checkbox");
    await sendKeys({ press: "Space" });
    await waitFor(() => !(deepActive() as HTMLInputElement).checked, "the switch toggled");
    // Back to the list with the same button, focus kept; Escape still closes the panel.
    gear.focus();
    await sendKeys({ press: "Enter" });
    await waitFor(() => $(el, ".list, .state"), "the list again");
    expect(deepActive()).to.equal(gear);
    await sendKeys({ press: "Escape" });
    await waitFor(() => !el.open, "the panel closed by Escape");
  });
});
