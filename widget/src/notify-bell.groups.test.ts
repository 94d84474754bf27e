/**
 * Grouping in the element (docs/design/grouping.md), against the real server: a burst of one
 * group's members counts as one and toasts once.
 */
import { expect } from "@esm-bundle/chai";
import { sendKeys } from "@web/test-runner-commands";
import "axe-core";
import { $, $$, deepActive, mountFor, openPanel } from "../test/bell.ts";
import { insertNotification, waitFor } from "../test/notify-server.ts";
import "./define.ts";
import type { NotifyBell } from "./notify-bell.ts";

/** axe-core is a UMD script: imported for its side effect, it sets `window.axe`. */
const axe = (globalThis as unknown as { axe: typeof import("axe-core") }).axe;

/** Mounts a bell for a user with a group of comments (oldest first) and one plain row. */
async function withGroup(label: string, names: string[]) {
  const { el, sub } = await mountFor(label, ["Plain"]);
  const key = `comment:${label}`;
  const ids: string[] = [];
  for (const name of names) {
    ids.push(
      await insertNotification(sub, `${name} commented on Q3 roadmap`, {
        actorName: name,
        groupKey: key,
      }),
    );
  }
  await waitFor(() => el.unreadCount === 2, "the group counted as one");
  return { el, sub, key, ids };
}

const groupRow = (el: NotifyBell) => $(el, ".list > .item.group");

afterEach(() => {
  for (const el of document.querySelectorAll("notify-bell")) el.remove();
});

describe("<notify-bell> with groups", () => {
  it("toasts a burst of one group once, showing its newest member, and counts it as one", async () => {
    const { el, sub } = await mountFor("burst");
    const key = "comment:q3-roadmap";
    const ids: string[] = [];
    for (const name of ["Ana", "Bo", "Cy", "Di"]) {
      ids.push(
        await insertNotification(sub, `${name} commented`, { actorName: name, groupKey: key }),
      );
    }
    // A marker after the burst: once its toast is up, every member has been received.
    await insertNotification(sub, "Marker");
    await waitFor(() => el.unreadCount === 2, "the group counted as one, and the marker");
    await waitFor(() => $$(el, ".toast").length === 2, "the group's toast and the marker's");
    await el.updateComplete;
    const [group, marker] = $$(el, ".toast");
    expect(group?.querySelector(".title")?.textContent).to.equal("Di commented");
    expect(marker?.querySelector(".title")?.textContent).to.equal("Marker");
    expect(group?.dataset.id).to.equal(ids.at(-1));
    // Said once: the live region keeps every message of the last 10 s, one node each.
    const said = [...($(el, "[aria-live=polite]")?.children ?? [])].map((m) =>
      m.textContent?.trim(),
    );
    expect(said).to.deep.equal(["New notification: Ana commented", "New notification: Marker"]);
  });

  it("shows a group as one row: its newest member, its people, read as one", async () => {
    const { el, ids } = await withGroup("row", ["Ana", "Bo", "Cy", "Di"]);
    await openPanel(el, 2);
    const row = groupRow(el);
    expect(row?.querySelector(".title")?.textContent).to.equal("Di commented on Q3 roadmap");
    expect(row?.querySelector(".body")?.textContent).to.equal("Di, Cy and 2 others");
    expect(row?.querySelectorAll(".avatars .avatar")).to.have.length(3);
    expect(row?.querySelector(".members-toggle")?.textContent?.trim()).to.equal("Show all 4");
    const read = row?.querySelector<HTMLButtonElement>(".actions button");
    expect(read?.getAttribute("aria-label")).to.equal(
      "Mark as read: 4 notifications: Di commented on Q3 roadmap",
    );
    read?.click();
    await waitFor(() => el.unreadCount === 1, "the group read as one, at the server");
    await el.updateComplete;
    // A member's `notification` event still in flight may show it unread for a moment; its
    // `update` follows.
    await waitFor(() => $$(el, ".list > .item.unread").length === 1, "only the plain row unread");
    // Read members are rows of their own, read.
    expect($$(el, ".list > .item").map((r) => r.dataset.id)).to.deep.equal([
      ...[...ids].reverse(),
      $$(el, ".list > .item").at(-1)?.dataset.id,
    ]);
  });

  it("expands to its members with the keyboard, as a disclosure, and stays axe-clean", async () => {
    const { el } = await withGroup("expand", ["Ana", "Bo"]);
    await openPanel(el, 2);
    const toggle = () => groupRow(el)?.querySelector<HTMLButtonElement>(".members-toggle");
    expect(toggle()?.getAttribute("aria-expanded")).to.equal("false");
    expect(toggle()?.hasAttribute("aria-controls")).to.equal(false);
    // The first row (the group) has focus after opening: Tab goes through its buttons.
    await waitFor(() => deepActive()?.classList.contains("item-main"), "the first row focused");
    for (let i = 0; i < 3; i++) await sendKeys({ press: "Tab" });
    expect(deepActive()).to.equal(toggle());
    await sendKeys({ press: "Enter" });
    await el.updateComplete;
    expect(toggle()?.getAttribute("aria-expanded")).to.equal("true");
    const list = $(el, `#${toggle()?.getAttribute("aria-controls")}`);
    expect([...(list?.querySelectorAll(".title") ?? [])].map((t) => t.textContent)).to.deep.equal([
      "Bo commented on Q3 roadmap",
      "Ana commented on Q3 roadmap",
    ]);
    // The members' own controls come next in the tab order.
    await sendKeys({ press: "Tab" });
    expect(list?.contains(deepActive())).to.equal(true);
    const { violations } = await axe.run(el);
    expect(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" | ")}`),
    ).to.deep.equal([]);
    await sendKeys({ down: "Shift" });
    await sendKeys({ press: "Tab" });
    await sendKeys({ up: "Shift" });
    expect(deepActive()).to.equal(toggle());
    await sendKeys({ press: "Enter" });
    await el.updateComplete;
    expect(toggle()?.getAttribute("aria-expanded")).to.equal("false");
  });

  it("updates the row in place when a member arrives live", async () => {
    const { el, sub, key } = await withGroup("live", ["Ana", "Bo"]);
    await openPanel(el, 2);
    await insertNotification(sub, "Cy commented on Q3 roadmap", { actorName: "Cy", groupKey: key });
    await waitFor(
      () => groupRow(el)?.querySelector(".title")?.textContent === "Cy commented on Q3 roadmap",
      "the new member as the row's face",
    );
    expect($$(el, ".list > .item")).to.have.length(2);
    expect(groupRow(el)?.querySelector(".members-toggle")?.textContent?.trim()).to.equal(
      "Show all 3",
    );
    expect(groupRow(el)?.querySelector(".body")?.textContent).to.equal("Cy, Bo and 1 other");
    expect(el.unreadCount).to.equal(2);
  });

  it("sees every member when the group row has been seen", async () => {
    const { el } = await withGroup("seen", ["Ana", "Bo", "Cy"]);
    const badge = () => ($(el, ".badge")?.hidden ? "" : $(el, ".badge")?.textContent?.trim());
    expect(badge()).to.equal("2");
    await openPanel(el, 2);
    // The bell counts unseen: it clears once the server has every member as seen.
    await waitFor(() => badge() === "", "the group and the plain row seen", 5_000);
    expect($$(el, "[data-unseen]")).to.have.length(0);
  });

  it("opens a member's own snooze menu inside an expanded group", async () => {
    const { el } = await withGroup("member-snooze", ["Ana", "Bo"]);
    await openPanel(el, 2);
    groupRow(el)?.querySelector<HTMLButtonElement>(".members-toggle")?.click();
    await el.updateComplete;
    const snooze = () => $(el, ".members .item:last-child [data-snooze]");
    snooze()?.click();
    await el.updateComplete;
    expect(snooze()?.getAttribute("aria-expanded")).to.equal("true");
    expect($$(el, ".members .item:last-child .snooze button")).to.have.length(3);
  });
});
