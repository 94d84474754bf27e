/**
 * What frameworks do to a custom element: set properties before its script has loaded, and
 * listen for clicks that must keep Ctrl/Cmd-click for the browser.
 */
import { expect } from "@esm-bundle/chai";
import { sendKeys, sendMouse } from "@web/test-runner-commands";
import { $, mountFor, openPanel } from "../test/bell.ts";
import {
  insertNotification,
  mintToken,
  serverInfo,
  uniqueUser,
  waitFor,
} from "../test/notify-server.ts";
import "./define.ts";
import { NotifyBell } from "./notify-bell.ts";

afterEach(() => {
  for (const el of document.querySelectorAll("notify-bell, [data-late]")) el.remove();
});

let lateTags = 0;

describe("<notify-bell> in frameworks", () => {
  it("keeps properties set before the element was defined (script loaded after the app)", async () => {
    const sub = uniqueUser("late");
    await insertNotification(sub, "kept");
    const { server } = await serverInfo();
    const tag = `late-bell-${++lateTags}`;
    const el = document.createElement(tag) as NotifyBell;
    el.dataset.late = "";
    let calls = 0;
    // What React or Vue do while the tag is still unknown: plain properties on an HTMLElement.
    Object.assign(el, {
      server,
      tokenProvider: () => {
        calls++;
        return mintToken(sub);
      },
      placement: "top-start",
    });
    document.body.append(el);
    customElements.define(tag, class extends NotifyBell {});
    await waitFor(() => el.status === "open", "the stream, with the provider's token");
    await waitFor(() => el.unreadCount === 1, "the count");
    expect(calls).to.equal(1);
    expect(el.getAttribute("placement")).to.equal("top-start");
  });

  it('reads open="false" as closed (what Vue and Svelte write for a false binding before the element is defined)', async () => {
    const tag = `late-bell-${++lateTags}`;
    const el = document.createElement(tag) as NotifyBell;
    el.dataset.late = "";
    el.setAttribute("open", "false");
    document.body.append(el);
    customElements.define(tag, class extends NotifyBell {});
    await el.updateComplete;
    expect(el.open).to.equal(false);
    el.open = true;
    await el.updateComplete;
    expect(el.getAttribute("open")).to.equal("");
  });

  it("asks a tokenProvider given after it connected with no token (a page script after the tag)", async () => {
    const sub = uniqueUser("provider-later");
    await insertNotification(sub, "asked");
    const { server } = await serverInfo();
    const el = document.createElement("notify-bell");
    el.server = server;
    document.body.append(el);
    await el.updateComplete;
    let calls = 0;
    el.tokenProvider = () => {
      calls++;
      return mintToken(sub);
    };
    await waitFor(() => el.status === "open", "the stream, with the provider's token");
    await waitFor(() => el.unreadCount === 1, "the count");
    expect(calls).to.equal(1);
  });

  it("tells notify-click listeners about modifier keys and a new-tab click", async () => {
    const { el, sub } = await mountFor("modifiers", []);
    await insertNotification(sub, "link", { url: "/orders/1" });
    await waitFor(() => el.unreadCount === 1, "the count");
    await openPanel(el, 1);
    const details: Array<Record<string, unknown>> = [];
    el.addEventListener("notify-click", (e) => {
      details.push({ ...e.detail, notification: undefined });
      e.preventDefault();
    });
    const link = $(el, ".item-main") as HTMLElement;
    const r = link.getBoundingClientRect();
    await sendKeys({ down: "Control" });
    await sendMouse({ type: "click", position: [Math.round(r.left + 20), Math.round(r.top + 10)] });
    await sendKeys({ up: "Control" });
    await waitFor(() => details.length === 1, "the ctrl-click");
    expect(details[0]).to.include({ ctrlKey: true, metaKey: false, shiftKey: false, newTab: true });
    link.click();
    expect(details[1]).to.include({ ctrlKey: false, newTab: false });
  });
});
