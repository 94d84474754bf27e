/**
 * Stream events the element must follow as the server sends them: a deleted row, and a
 * stream ended because the secret that signed its token was retired.
 */
import { expect } from "@esm-bundle/chai";
import { $, $$, openPanel } from "../test/bell.ts";
import {
  deleteNotification,
  holdTicks,
  insertNotification,
  mintToken,
  rotateSecret,
  serverInfo,
  uniqueUser,
  waitFor,
} from "../test/notify-server.ts";
import "./define.ts";
import type { NotifyBell } from "./notify-bell.ts";

afterEach(() => {
  for (const el of document.querySelectorAll("notify-bell")) el.remove();
});

async function bellFor(sub: string, setup: (el: NotifyBell) => void = () => {}) {
  const { server } = await serverInfo();
  const el = document.createElement("notify-bell");
  setup(el);
  el.setAttribute("server", server);
  el.setAttribute("token", await mintToken(sub));
  document.body.append(el);
  await waitFor(() => el.status === "open", "the stream to open");
  return el;
}

/** Stream requests the server refused with a 401, as the browser recorded them. */
const refusedStreams = () =>
  performance
    .getEntriesByType("resource")
    .filter(
      (e) =>
        e.name.includes("/v1/stream") && (e as PerformanceResourceTiming).responseStatus === 401,
    ).length;

describe("<notify-bell> following the stream", () => {
  it("counts a row committed while its stream was still opening", async () => {
    const sub = uniqueUser("opening");
    const { server } = await serverInfo();
    // The stream's start waits for a tick, so there is a moment between the element's first
    // request and the stream's start: a row committed then belongs to the count, not the stream.
    await holdTicks(1_500);
    const el = document.createElement("notify-bell");
    el.setAttribute("server", server);
    el.setAttribute("token", await mintToken(sub));
    document.body.append(el);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await insertNotification(sub, "committed while the stream opened");
    await waitFor(() => el.unreadCount === 1, "the row counted");
    expect($(el, ".badge")?.textContent?.trim()).to.equal("1");
  });

  it("removes a deleted notification and takes the unread count from the delete event", async () => {
    const sub = uniqueUser("delete");
    // The unread count on the bell: the open panel sees the rows after a second, which would
    // clear the default (unseen) count whatever the delete event said.
    const el = await bellFor(sub, (bell) => bell.setAttribute("badge", "unread"));
    const kept = await insertNotification(sub, "kept");
    const gone = await insertNotification(sub, "deleted by the app");
    await waitFor(() => el.unreadCount === 2, "both counted");
    await openPanel(el, 2);
    await deleteNotification(gone);
    await waitFor(() => el.unreadCount === 1, "the count from the delete event");
    await waitFor(() => $$(el, ".list > .item").length === 1, "the row gone");
    expect($$(el, ".list > .item").map((row) => row.dataset.id)).to.deep.equal([kept]);
    expect($(el, ".badge")?.textContent?.trim()).to.equal("1");
  });

  it("takes a notification snoozed elsewhere out of the open list, and shows it when it comes back", async () => {
    const sub = uniqueUser("snooze");
    const el = await bellFor(sub);
    await insertNotification(sub, "kept");
    const later = await insertNotification(sub, "later");
    await waitFor(() => el.unreadCount === 2, "both counted");
    await openPanel(el, 2);
    // As another tab or device of the user would (or the tenant, with SQL).
    const { server } = await serverInfo();
    const snoozed = await fetch(`${server}/v1/notifications/${later}/snooze`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await mintToken(sub)}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ until: new Date(Date.now() + 2_000).toISOString() }),
    });
    expect(snoozed.status).to.equal(200);
    await waitFor(() => $$(el, ".list > .item").length === 1, "the snoozed row gone");
    expect(el.unreadCount).to.equal(1);
    await waitFor(() => $$(el, ".list > .item").length === 2, "its return", 15_000);
    expect(el.unreadCount).to.equal(2);
  });

  it("asks tokenProvider for a token signed anew when its secret is retired, and goes on", async () => {
    const sub = uniqueUser("revoked");
    let calls = 0;
    const el = await bellFor(sub, (bell) => {
      bell.tokenProvider = () => {
        calls++;
        return mintToken(sub);
      };
    });
    performance.clearResourceTimings();
    let expired = 0;
    el.addEventListener("notify-session-expired", () => expired++);
    await rotateSecret();
    await waitFor(() => calls === 1, "the provider asked");
    await insertNotification(sub, "after the rotation");
    await waitFor(() => el.unreadCount === 1, "the stream back with the new token");
    expect(el.status).to.equal("open");
    expect(expired).to.equal(0);
    // The revoked token is never sent again: the provider is asked first.
    expect(refusedStreams()).to.equal(0);
  });

  it('says "Session expired" when a retired secret ends the stream and nothing can renew the token', async () => {
    const sub = uniqueUser("revoked-no-provider");
    const el = await bellFor(sub);
    let expired = 0;
    el.addEventListener("notify-session-expired", () => expired++);
    await rotateSecret();
    await waitFor(() => expired === 1, "notify-session-expired");
    expect(el.status).to.equal("expired");
    el.token = await mintToken(sub);
    await waitFor(() => el.status === "open", "the stream with a new token");
  });
});
