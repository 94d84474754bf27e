/**
 * Actions (issue #14) against the real server: a click records the action once, reads the
 * notification, and a bell shows it done, also when it was taken elsewhere (by the stream).
 */
import { expect } from "@esm-bundle/chai";
import "axe-core";
import { $, $$, mount, openPanel } from "../test/bell.ts";
import {
  insertNotification,
  mintToken,
  serverInfo,
  uniqueUser,
  waitFor,
} from "../test/notify-server.ts";
import "./define.ts";
import type { NotifyActionDetail } from "./events.ts";
import type { NotifyBell } from "./notify-bell.ts";

afterEach(() => {
  for (const el of document.querySelectorAll("notify-bell")) el.remove();
});

/** axe-core is a UMD script: imported for its side effect, it sets `window.axe`. */
const axe = (globalThis as unknown as { axe: typeof import("axe-core") }).axe;

const buttons = (el: NotifyBell) => $$(el, ".buttons .act") as HTMLButtonElement[];
const toastButtons = (el: NotifyBell) => $$(el, ".toast .act") as HTMLElement[];

/** A bell for a new user, connected, that then receives `title` live (so it toasts). */
async function toastFor(label: string, title: string, actions: object[]) {
  const sub = uniqueUser(label);
  const { server } = await serverInfo();
  const token = await mintToken(sub);
  const el = await mount({ server, token });
  await waitFor(() => el.status === "open", "the stream");
  const id = await insertNotification(sub, title, { actions: actions as never });
  await waitFor(() => $(el, ".toast"), "the toast");
  const fired: NotifyActionDetail[] = [];
  el.addEventListener("notify-action", (e) => fired.push(e.detail));
  return { el, id, server, token, fired };
}

async function actionTaken(server: string, token: string) {
  const list = await fetch(`${server}/v1/notifications`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return (await list.json()).items[0]?.actionTaken;
}

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

  it("shows a live notification's buttons in its toast: a click fires notify-action, is recorded, and the toast shows it done", async () => {
    const { el, id, server, token, fired } = await toastFor("toast-act", "Ana invited you", [
      { id: "accept", label: "Accept", style: "primary" },
      { id: "decline", label: "Decline" },
    ]);
    expect(toastButtons(el).map((b) => b.textContent?.trim())).to.deep.equal(["Accept", "Decline"]);
    toastButtons(el)[0]?.click();
    expect(fired.map((d) => [d.notification.id, d.action.id, d.url])).to.deep.equal([
      [id, "accept", null],
    ]);
    await waitFor(() => el.unreadCount === 0, "the click recorded, the item read");
    expect(await actionTaken(server, token)).to.equal("accept");
    expect(
      toastButtons(el).map((b) => [b.textContent?.trim(), (b as HTMLButtonElement).disabled]),
    ).to.deep.equal([
      ["Done:Accept", true],
      ["Decline", true],
    ]);
    await Promise.all(el.shadowRoot?.getAnimations().map((a) => a.finished) ?? []);
    const { violations } = await axe.run(el);
    expect(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" | ")}`),
    ).to.deep.equal([]);
  });

  it("lets a listener cancel notify-action to stop a link action's navigation, and still records it", async () => {
    const { el, server, token, fired } = await toastFor("toast-link", "Q3 roadmap", [
      { id: "open", label: "Open", url: "/docs/q3" },
    ]);
    el.addEventListener("notify-action", (e) => e.preventDefault());
    let prevented: boolean | undefined;
    // After the widget's own handler: sees whether it cancelled the click, then makes sure
    // this page never navigates, whatever it did.
    const guard = (e: Event) => {
      prevented = e.defaultPrevented;
      e.preventDefault();
    };
    document.addEventListener("click", guard);
    try {
      toastButtons(el)[0]?.click();
    } finally {
      document.removeEventListener("click", guard);
    }
    expect(prevented).to.equal(true);
    expect(fired[0]?.url).to.equal(new URL("/docs/q3", location.href).href);
    await waitFor(async () => (await actionTaken(server, token)) === "open", "the action recorded");
  });

  it("shows in a toast an action taken in another tab as done, from the stream", async () => {
    const { el, id, server, token } = await toastFor("toast-elsewhere", "Join the call?", [
      { id: "join", label: "Join" },
    ]);
    const taken = await fetch(`${server}/v1/notifications/${id}/actions/join`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(taken.status).to.equal(200);
    await waitFor(
      () => (toastButtons(el)[0] as HTMLButtonElement | undefined)?.disabled,
      "done, from the update event",
      5_000,
    );
    expect(toastButtons(el)[0]?.textContent?.trim()).to.equal("Done:Join");
  });
});
