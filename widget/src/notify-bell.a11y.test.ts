/**
 * Keyboard and screen readers: where focus goes, and what the live region says.
 */
import { expect } from "@esm-bundle/chai";
import { sendKeys } from "@web/test-runner-commands";
import { $, $$, deepActive, mount, mountFor, openPanel } from "../test/bell.ts";
import { insertNotification, mintToken, serverInfo, waitFor } from "../test/notify-server.ts";
import "./define.ts";
import type { NotifyBell } from "./notify-bell.ts";

afterEach(() => {
  for (const el of document.querySelectorAll("notify-bell, [data-a11y-test]")) el.remove();
});

const titleOf = (node: Element | null | undefined) =>
  node?.closest(".item")?.querySelector(".title")?.textContent;

/** Everything the bell's live region is given to say, in order. */
function listen(el: NotifyBell): string[] {
  const said: string[] = [];
  const region = $(el, "[aria-live=polite]") as HTMLElement;
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "characterData") said.push(region.textContent?.trim() ?? "");
      for (const node of r.addedNodes) {
        const text = node.textContent?.trim();
        if (text) said.push(text);
      }
    }
  }).observe(region, { childList: true, subtree: true, characterData: true });
  return said;
}

describe("<notify-bell> keyboard", () => {
  it("focuses the first row once the list has loaded", async () => {
    const { el } = await mountFor("first-row", ["older", "newest"]);
    $(el, ".bell")?.focus();
    await sendKeys({ press: "Enter" });
    await waitFor(() => titleOf(deepActive()) === "newest", "focus on the first row");
  });

  it('keeps focus in the panel after "Mark all as read", so Esc still closes it', async () => {
    const { el } = await mountFor("read-all-focus", ["a", "b"]);
    await openPanel(el, 2);
    const markAll = $(el, ".header .text-button") as HTMLButtonElement;
    markAll.focus();
    await sendKeys({ press: "Enter" });
    await waitFor(() => el.unreadCount === 0, "mark all read");
    await el.updateComplete;
    expect(deepActive()).to.equal(markAll);
    await sendKeys({ press: "Escape" });
    await el.updateComplete;
    expect($(el, ".panel")).to.equal(null);
    expect(deepActive()).to.equal($(el, ".bell"));
  });

  it("closes when focus moves on to the page", async () => {
    const { el } = await mountFor("focus-out", ["a"]);
    const after = document.createElement("button");
    after.dataset.a11yTest = "";
    after.textContent = "Next on the page";
    document.body.append(after);
    await openPanel(el, 1);
    after.focus();
    await el.updateComplete;
    expect(el.open).to.equal(false);
  });
});

describe("<notify-bell> screen readers", () => {
  it("announces every notification of a burst, a repeated title too", async () => {
    const { el, sub } = await mountFor("burst", []);
    const said = listen(el);
    await insertNotification(sub, "First");
    await waitFor(() => el.unreadCount === 1, "the first");
    // At once: the events arrive together, and the same title three times.
    await Promise.all([1, 2, 3].map(() => insertNotification(sub, "Same")));
    await waitFor(() => el.unreadCount === 4, "the burst");
    await el.updateComplete;
    expect(said).to.deep.equal([
      "New notification: First",
      "New notification: Same",
      "New notification: Same",
      "New notification: Same",
    ]);
  });
});

describe("<notify-bell> twice on one page", () => {
  it("shows one toast and says it once, from the bell that is visible", async () => {
    const { el: hidden, sub } = await mountFor("two-bells", []);
    hidden.style.display = "none";
    const { server } = await serverInfo();
    const visible = await mount({ server, token: await mintToken(sub) });
    await waitFor(() => visible.status === "open", "the second bell's stream");
    const saidHidden = listen(hidden);
    const saidVisible = listen(visible);
    await insertNotification(sub, "Once");
    await waitFor(() => hidden.unreadCount === 1 && visible.unreadCount === 1, "both counts");
    await Promise.all([hidden.updateComplete, visible.updateComplete]);
    expect([$$(hidden, ".toast").length, $$(visible, ".toast").length]).to.deep.equal([0, 1]);
    expect(saidHidden).to.deep.equal([]);
    expect(saidVisible).to.deep.equal(["New notification: Once"]);
  });

  it('leaves toasts to the other bell with toasts="off"', async () => {
    const { el: quiet, sub } = await mountFor("toasts-off", [], { toasts: "off" });
    const { server } = await serverInfo();
    const loud = await mount({ server, token: await mintToken(sub) });
    await waitFor(() => loud.status === "open", "the second bell's stream");
    await insertNotification(sub, "Here");
    await waitFor(() => $(loud, ".toast"), "the toast on the other bell");
    await quiet.updateComplete;
    expect($$(quiet, ".toast").length).to.equal(0);
  });
});
