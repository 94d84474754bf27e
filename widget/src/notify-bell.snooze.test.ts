/**
 * The snooze menu on a row, against the real server: each choice sends its time, the row
 * leaves the list and the count, the keyboard reaches every part, Korean has its strings,
 * and axe finds nothing with the menu open. That a snoozed notification comes back live is
 * notify-bell.live.test.ts's.
 */
import { expect } from "@esm-bundle/chai";
import { sendKeys } from "@web/test-runner-commands";
import "axe-core";
import { $, $$, deepActive, mountFor, openPanel } from "../test/bell.ts";
import { mintToken, serverInfo, waitFor } from "../test/notify-server.ts";
import "./define.ts";
import type { NotifyBell } from "./notify-bell.ts";
import type { NotifyItem } from "./types.ts";
import { type SnoozeChoice, snoozeUntil } from "./view/snooze-times.ts";

/** axe-core is a UMD script: imported for its side effect, it sets `window.axe`. */
const axe = (globalThis as unknown as { axe: typeof import("axe-core") }).axe;

afterEach(() => {
  for (const el of document.querySelectorAll("notify-bell")) el.remove();
});

/** The user's snoozed notifications, as the server lists them. */
async function snoozedAtServer(sub: string): Promise<NotifyItem[]> {
  const { server } = await serverInfo();
  const response = await fetch(`${server}/v1/notifications?filter=snoozed`, {
    headers: { authorization: `Bearer ${await mintToken(sub)}` },
  });
  return ((await response.json()) as { items: NotifyItem[] }).items;
}

const row = (el: NotifyBell, title: string) =>
  $$(el, ".list > .item").find((r) => r.querySelector(".title")?.textContent === title);

async function openMenu(el: NotifyBell, title: string) {
  row(el, title)?.querySelector<HTMLButtonElement>("[data-snooze]")?.click();
  await el.updateComplete;
}

describe("<notify-bell> snooze menu", () => {
  it("snoozes a row for an hour: it leaves the list and the count, and the server holds it until then", async () => {
    const { el, sub } = await mountFor("snooze-hour", ["stays", "later"]);
    await openPanel(el, 2);
    const toggle = row(el, "later")?.querySelector("[data-snooze]");
    expect(toggle?.getAttribute("aria-expanded")).to.equal("false");
    expect(toggle?.getAttribute("aria-label")).to.equal("Snooze: later");
    await openMenu(el, "later");
    const buttons = [...(row(el, "later")?.querySelectorAll<HTMLElement>(".snooze button") ?? [])];
    expect(buttons.map((b) => b.textContent?.trim())).to.deep.equal([
      "1 hour",
      "Tomorrow",
      "Next week",
    ]);
    expect(toggle?.getAttribute("aria-expanded")).to.equal("true");

    const before = Date.now();
    buttons[0]?.click();
    await waitFor(() => $$(el, ".list > .item").length === 1, "the snoozed row gone");
    await waitFor(() => el.unreadCount === 1, "the count without it");
    const [held] = await waitFor(async () => {
      const items = await snoozedAtServer(sub);
      return items.length > 0 ? items : null;
    }, "the server to hold it");
    expect(held?.title).to.equal("later");
    const until = Date.parse(held?.snoozedUntil ?? "");
    expect(until).to.be.within(before + 3_600_000 - 1_000, Date.now() + 3_600_000 + 1_000);
  });

  for (const [choice, label] of [
    ["tomorrow", "Tomorrow"],
    ["nextWeek", "Next week"],
  ] as [SnoozeChoice, string][]) {
    it(`sends 09:00 local time for "${label}"`, async () => {
      const { el, sub } = await mountFor(`snooze-${choice}`, ["one"]);
      await openPanel(el, 1);
      await openMenu(el, "one");
      const button = $$(el, ".snooze button").find((b) => b.textContent?.trim() === label);
      const expected = snoozeUntil(choice).toISOString();
      expect(button?.title).to.not.equal("");
      button?.click();
      await waitFor(() => $$(el, ".list > .item").length === 0, "the row gone");
      // The row left at once; the server's answer may still be on its way.
      const [held] = await waitFor(async () => {
        const items = await snoozedAtServer(sub);
        return items.length > 0 ? items : null;
      }, "the server to hold it");
      expect(held?.snoozedUntil).to.equal(expected);
      expect(new Date(expected).getHours()).to.equal(9);
    });
  }

  it("is reached by keyboard: Escape closes the menu back to its button, and a choice moves focus to the next row", async () => {
    const { el } = await mountFor("snooze-keys", ["older", "newest"]);
    $(el, ".bell")?.focus();
    await sendKeys({ press: "Enter" });
    await waitFor(
      () => deepActive()?.closest(".item")?.querySelector(".title")?.textContent === "newest",
      "the first row",
    );
    // The row's link, then mark read, archive, snooze.
    for (let i = 0; i < 3; i++) await sendKeys({ press: "Tab" });
    expect(deepActive()?.hasAttribute("data-snooze")).to.equal(true);
    await sendKeys({ press: "Enter" });
    await el.updateComplete;
    await sendKeys({ press: "Tab" });
    expect(deepActive()?.textContent?.trim()).to.equal("1 hour");

    await sendKeys({ press: "Escape" });
    await el.updateComplete;
    expect(el.open).to.equal(true);
    expect($$(el, ".snooze")).to.have.length(0);
    expect(deepActive()?.hasAttribute("data-snooze")).to.equal(true);

    await sendKeys({ press: "Enter" });
    await el.updateComplete;
    await sendKeys({ press: "Tab" });
    await sendKeys({ press: "Enter" });
    await waitFor(() => $$(el, ".list > .item").length === 1, "the snoozed row gone");
    await waitFor(
      () => deepActive()?.closest(".item")?.querySelector(".title")?.textContent === "older",
      "focus on the row that took its place",
    );
  });

  it("speaks Korean, and axe finds nothing with the menu open", async () => {
    const { el } = await mountFor("snooze-ko", ["하나"], { lang: "ko" });
    await openPanel(el, 1);
    await openMenu(el, "하나");
    expect(row(el, "하나")?.querySelector("[data-snooze]")?.getAttribute("aria-label")).to.equal(
      "다시 알림: 하나",
    );
    expect($$(el, ".snooze button").map((b) => b.textContent?.trim())).to.deep.equal([
      "1시간 후",
      "내일",
      "다음 주",
    ]);
    const { violations } = await axe.run(el);
    expect(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" | ")}`),
    ).to.deep.equal([]);
  });
});
