/**
 * The side-effect-free entry: importing it registers nothing, and its class works under a
 * tag of the page's choosing.
 */
import { expect } from "@esm-bundle/chai";
import {
  insertNotification,
  mintToken,
  serverInfo,
  uniqueUser,
  waitFor,
} from "../test/notify-server.ts";
import { NotifyBell } from "./element.ts";

describe("the side-effect-free entry (element.ts)", () => {
  it("defines no tag, and its class runs under another one", async () => {
    expect(customElements.get("notify-bell")).to.equal(undefined);
    customElements.define("site-inbox-bell", class extends NotifyBell {});
    const sub = uniqueUser("element-entry");
    await insertNotification(sub, "under another tag");
    const el = document.createElement("site-inbox-bell") as NotifyBell;
    el.server = (await serverInfo()).server;
    el.token = await mintToken(sub);
    document.body.append(el);
    try {
      await waitFor(() => el.unreadCount === 1, "the count");
      expect(customElements.get("notify-bell")).to.equal(undefined);
    } finally {
      el.remove();
    }
  });
});
