/**
 * The built `/widget.js` loads the inbox panel's module (`widget-inbox.<hash>.js`) from the
 * real server, cross-origin, only when a bell is hovered, focused or opened; and when that
 * module cannot be had (refused by the page's CSP), the panel says so, once, and can try
 * again, while the bell keeps working.
 * Each test embeds the built widget in a tab (an iframe on this page's origin, the server on
 * another), as a site does.
 */
import { expect } from "@esm-bundle/chai";
import {
  insertNotification,
  mintToken,
  serverInfo,
  uniqueUser,
  waitFor,
} from "../test/notify-server.ts";
import { openTab, type Tab } from "../test/tab-frame.ts";
import { stringsFor } from "./view/i18n.ts";

const en = stringsFor("en");

const tabs: Tab[] = [];

afterEach(() => {
  for (const tab of tabs.splice(0)) tab.frame.remove();
});

async function tabFor(label: string, rows: string[]) {
  const sub = uniqueUser(label);
  for (const title of rows) await insertNotification(sub, title);
  const tab = await openTab(await mintToken(sub));
  tabs.push(tab);
  return tab;
}

/** The requests the tab made for the inbox module, by URL. */
const inboxRequests = ({ frame }: Tab) =>
  (frame.contentWindow?.performance.getEntriesByType("resource") ?? [])
    .map((entry) => entry.name)
    .filter((name) => /\/widget-inbox\.[0-9a-f]{16}\.js$/.test(name));

const inside = ({ el }: Tab, selector: string) => [
  ...(el.shadowRoot?.querySelectorAll<HTMLElement>(selector) ?? []),
];

describe("the inbox panel's module", () => {
  it("is not loaded by a page that only shows the bell; the first open loads it from the server, next to /widget.js", async () => {
    const tab = await tabFor("chunk-open", ["first", "second"]);
    await waitFor(() => tab.el.unreadCount === 2, "the count");
    expect(inboxRequests(tab)).to.deep.equal([]);

    inside(tab, ".bell")[0]?.click();
    await waitFor(() => inside(tab, ".list > .item").length === 2, "two rows in the panel");
    const requests = inboxRequests(tab);
    expect(requests).to.have.length(1);
    expect(requests[0]?.startsWith(`${(await serverInfo()).server}/widget-inbox.`)).to.equal(true);
    // Its styles came with it: the header is laid out as a row.
    expect(getComputedStyle(inside(tab, ".header")[0] as HTMLElement).display).to.equal("flex");
  });

  it("is fetched when the bell is hovered or focused, before any click", async () => {
    const tab = await tabFor("chunk-preload", []);
    inside(tab, ".bell")[0]?.focus();
    await waitFor(() => inboxRequests(tab).length === 1, "the module to be requested on focus");
    expect(tab.el.open).to.equal(false);
  });

  it("that cannot load (refused) gives the panel an error state with Try again, tried once, and the bell keeps working", async () => {
    // The page's Content-Security-Policy allows /widget.js alone, so the module is refused
    // whatever the browser has cached (a stopped server would not do: the module is cached
    // for good once any tab of the run has loaded it).
    const sub = uniqueUser("chunk-fail");
    await insertNotification(sub, "kept");
    const tab = await openTab(await mintToken(sub), { csp: "script-src SERVER/widget.js" });
    tabs.push(tab);
    await waitFor(() => tab.el.unreadCount === 1, "the count");
    const failures: string[] = [];
    tab.el.addEventListener("notify-error", (e) => {
      if (e.detail.message.startsWith("the inbox panel")) failures.push(e.detail.code);
    });

    inside(tab, ".bell")[0]?.click();
    const state = await waitFor(
      () => inside(tab, ".panel .state").find((s) => s.textContent?.includes(en.error)),
      "the panel's error state",
    );
    const retry = state.querySelector("button");
    expect(retry?.textContent?.trim()).to.equal(en.retry);
    // Tried once, not again at every update while the panel stays open (it was, in a loop).
    await insertNotification(sub, "an update meanwhile");
    await waitFor(() => tab.el.unreadCount === 2, "the live count");
    await new Promise((r) => setTimeout(r, 500));
    expect(failures).to.deep.equal(["network"]);
    // The element is whole: the bell and its count work, focus waits in the panel.
    expect(inside(tab, ".badge")[0]?.textContent?.trim()).to.equal("2");
    expect(tab.el.shadowRoot?.activeElement).to.equal(inside(tab, ".panel")[0]);

    // Try again imports again (refused again here; that it then loads once the module can
    // be had was checked by hand against a server answering 503, then 200).
    retry?.click();
    await waitFor(() => failures.length === 2, "a second attempt");
    await waitFor(
      () => inside(tab, ".panel .state").find((s) => s.textContent?.includes(en.error)),
      "the error state again",
    );
  });

  it("is bundled into notify-bell.element.js, whose panel opens without a second request, also when open from the start", async () => {
    // The built file, as a site bundles or serves it: a URL in a variable, not a source import.
    const url = "/widget/dist/notify-bell.element.js";
    const { NotifyBell } = (await import(/* @vite-ignore */ url)) as {
      NotifyBell: CustomElementConstructor;
    };
    customElements.define("one-file-bell", class extends NotifyBell {});
    const sub = uniqueUser("chunk-one-file");
    await insertNotification(sub, "in one file");
    const el = document.createElement("one-file-bell") as HTMLElement & {
      server: string;
      token: string;
      open: boolean;
    };
    el.server = (await serverInfo()).server;
    el.token = await mintToken(sub);
    // Open before its first render, as `<notify-bell open>` is.
    el.open = true;
    document.body.append(el);
    try {
      await waitFor(
        () => el.shadowRoot?.querySelectorAll(".list > .item").length === 1,
        "the row in the panel",
      );
      const requested = performance.getEntriesByType("resource").map((entry) => entry.name);
      expect(requested.filter((name) => name.includes("widget-inbox"))).to.deep.equal([]);
    } finally {
      el.remove();
    }
  });
});
