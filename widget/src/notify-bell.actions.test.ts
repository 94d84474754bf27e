/**
 * Actions (issue #14) against the real server: a click records the action once, reads the
 * notification, and a bell shows it done, also when it was taken elsewhere (by the stream).
 */
import { expect } from "@esm-bundle/chai";
import { $$, mount, openPanel } from "../test/bell.ts";
import {
  insertNotification,
  mintToken,
  serverInfo,
  uniqueUser,
  waitFor,
} from "../test/notify-server.ts";
import "./define.ts";
import type { NotifyBell } from "./notify-bell.ts";

afterEach(() => {
  for (const el of document.querySelectorAll("notify-bell")) el.remove();
});

const buttons = (el: NotifyBell) => $$(el, ".buttons .act") as HTMLButtonElement[];

describe("<notify-bell> actions", () => {
  it("records a click once, reads the item, and shows the action done", async () => {
    const sub = uniqueUser("actions");
    await insertNotification(sub, "Ana invited you to Q3 roadmap", {
      actorName: "Ana Lima",
      actions: [
        { id: "accept", label: "Accept", style: "primary" },
        { id: "decline", label: "Decline" },
      ],
    });
    const { server } = await serverInfo();
    const token = await mintToken(sub);
    const el = await mount({ server, token });
    await waitFor(() => el.status === "open" && el.unreadCount === 1, "the stream and count");
    await openPanel(el, 1);
    expect(buttons(el).map((b) => b.textContent?.trim())).to.deep.equal(["Accept", "Decline"]);

    buttons(el)[0]?.click();
    await waitFor(() => el.unreadCount === 0, "the click recorded, the item read");
    expect(buttons(el).map((b) => [b.textContent?.trim(), b.disabled])).to.deep.equal([
      ["Done:Accept", true],
      ["Decline", true],
    ]);
    const list = await fetch(`${server}/v1/notifications`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const [item] = (await list.json()).items;
    expect(item.actionTaken).to.equal("accept");
    expect(item.readAt).to.not.equal(null);
  });

  it("shows an action taken in another tab as done, from the stream", async () => {
    const sub = uniqueUser("actions-elsewhere");
    const id = await insertNotification(sub, "Join the call?", {
      actions: [{ id: "join", label: "Join" }],
    });
    const { server } = await serverInfo();
    const token = await mintToken(sub);
    const el = await mount({ server, token });
    await waitFor(() => el.status === "open" && el.unreadCount === 1, "the stream and count");
    await openPanel(el, 1);
    expect(buttons(el)[0]?.disabled).to.equal(false);
    // As another tab or device does: the server, then every stream of the user.
    const taken = await fetch(`${server}/v1/notifications/${id}/actions/join`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(taken.status).to.equal(200);
    await waitFor(() => buttons(el)[0]?.disabled, "done, from the update event", 5_000);
    expect(buttons(el)[0]?.textContent?.trim()).to.equal("Done:Join");
    expect(el.unreadCount).to.equal(0);
  });

  it("reaches every action with the keyboard", async () => {
    const sub = uniqueUser("actions-keys");
    await insertNotification(sub, "Deploy?", {
      actions: [
        { id: "go", label: "Go" },
        { id: "docs", label: "Docs", url: "/docs" },
      ],
    });
    const { server } = await serverInfo();
    const el = await mount({ server, token: await mintToken(sub) });
    await waitFor(() => el.unreadCount === 1, "the count");
    await openPanel(el, 1);
    const reachable = buttons(el).map((b) => b.tabIndex);
    expect(reachable).to.deep.equal([0, 0]);
  });
});
