import { expect } from "@esm-bundle/chai";
import {
  insertNotification,
  mintToken,
  openStreams,
  uniqueUser,
  waitFor,
} from "../../test/notify-server.ts";
import { openTab } from "../../test/tab-frame.ts";

const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

async function noStreamsLeft() {
  await waitFor(async () => (await openStreams()) === 0, "streams of earlier tests to close");
}

afterEach(() => {
  for (const frame of document.querySelectorAll("iframe")) frame.remove();
});

// Each tab is a same-origin iframe loading the built /widget.js from the real server.
describe("one live connection per browser", () => {
  it("serves two tabs with one stream at the server, each event once per tab", async () => {
    await noStreamsLeft();
    const sub = uniqueUser("tabs");
    const token = await mintToken(sub);
    const a = await openTab(token);
    const b = await openTab(token);
    await settle();
    expect(await openStreams()).to.equal(1);
    await insertNotification(sub, "shared");
    await waitFor(() => a.received.length && b.received.length, "both tabs to receive");
    await settle();
    expect(a.received).to.deep.equal(["shared"]);
    expect(b.received).to.deep.equal(["shared"]);
    expect(b.el.unreadCount).to.equal(1);
    // Neither frame has focus: toasts belong to the tab the user is looking at.
    expect(a.el.shadowRoot?.querySelector(".toast")).to.equal(null);
    expect(b.el.shadowRoot?.querySelector(".toast")).to.equal(null);
  });

  it("lets read state follow the user across tabs", async () => {
    const sub = uniqueUser("follow");
    await insertNotification(sub, "read me");
    await insertNotification(sub, "keep me");
    const token = await mintToken(sub);
    const a = await openTab(token);
    const b = await openTab(token);
    await waitFor(() => b.el.unreadCount === 2, "the second tab's count");
    a.el.shadowRoot?.querySelector<HTMLElement>(".bell")?.click();
    const markRead = await waitFor(
      () =>
        a.el.shadowRoot?.querySelector<HTMLElement>(
          ".item:last-child .icon-button[aria-label^='Mark as read']",
        ),
      "the first tab's list",
    );
    markRead.click();
    await waitFor(() => a.el.unreadCount === 1, "the count in the tab that acted");
    await waitFor(() => b.el.unreadCount === 1, "the count in the other tab");
  });

  it("hands the stream to another tab when the leader closes, losing nothing", async () => {
    await noStreamsLeft();
    const sub = uniqueUser("takeover");
    const token = await mintToken(sub);
    const leader = await openTab(token);
    const follower = await openTab(token);
    await insertNotification(sub, "1");
    await waitFor(() => follower.received.length === 1, "the first event via the leader");
    leader.frame.remove();
    const closedAt = Date.now();
    await insertNotification(sub, "2");
    await waitFor(() => follower.received.length === 2, "the event sent during the handover");
    expect(Date.now() - closedAt).to.be.lessThan(1500);
    await insertNotification(sub, "3");
    await waitFor(() => follower.received.length === 3, "an event after the handover");
    await settle();
    expect(follower.received).to.deep.equal(["1", "2", "3"]);
    await waitFor(async () => (await openStreams()) === 1, "one stream, now the follower's");
  });

  it("connects each tab on its own without Web Locks", async () => {
    await noStreamsLeft();
    const sub = uniqueUser("nolocks");
    const token = await mintToken(sub);
    const a = await openTab(token, { withoutLocks: true });
    const b = await openTab(token, { withoutLocks: true });
    await waitFor(async () => (await openStreams()) === 2, "two streams");
    await insertNotification(sub, "each");
    await waitFor(() => a.received.length && b.received.length, "both tabs to receive");
    await settle();
    expect([a.received, b.received]).to.deep.equal([["each"], ["each"]]);
  });
});
