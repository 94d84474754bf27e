/**
 * Grouping in the element (docs/design/grouping.md), against the real server: a burst of one
 * group's members counts as one and toasts once.
 */
import { expect } from "@esm-bundle/chai";
import { $, $$, mountFor } from "../test/bell.ts";
import { insertNotification, waitFor } from "../test/notify-server.ts";
import "./define.ts";

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
});
