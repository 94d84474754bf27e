/**
 * States that recover: a failed action, a list that failed to load, a refused token, a
 * tokenProvider with no token to start from.
 */
import { expect } from "@esm-bundle/chai";
import { $, $$, mountFor, openPanel } from "../test/bell.ts";
import {
  mintToken,
  serverInfo,
  startServer,
  stopServer,
  uniqueUser,
  waitFor,
} from "../test/notify-server.ts";
import "./define.ts";

afterEach(async () => {
  for (const el of document.querySelectorAll("notify-bell")) el.remove();
  await startServer();
});

describe("<notify-bell> recovering", () => {
  it("keeps the list when an action fails, and says what failed", async () => {
    const { el } = await mountFor("failed-action", ["a", "b"]);
    await openPanel(el, 2);
    await stopServer();
    ($(el, ".item .icon-button[aria-label^='Archive']") as HTMLButtonElement).click();
    await waitFor(() => $(el, "[part=notice]"), "a notice");
    await waitFor(() => $$(el, ".list > .item").length === 2, "both rows back");
    await startServer();
    await waitFor(() => el.status === "open", "the stream back");
    await waitFor(
      () => $(el, "[part=notice]")?.textContent === "That change could not be saved. Try again.",
      "the failure said",
    );
    expect($$(el, ".list > .item").length).to.equal(2);
  });

  it("loads the list by itself when the stream comes back after a failed load", async () => {
    const { el } = await mountFor("error-recovers", ["a"]);
    await stopServer();
    await waitFor(() => el.status === "offline", "offline");
    $(el, ".bell")?.click();
    await waitFor(
      () => $(el, "[part=empty]")?.textContent?.includes("could not be loaded"),
      "the error",
    );
    await startServer();
    await waitFor(
      () => $$(el, ".list > .item").length === 1,
      "the list, with no click on retry",
      15000,
    );
  });

  it('says "Session expired" and fires notify-session-expired when the token is refused for good', async () => {
    const sub = uniqueUser("expired");
    const { server } = await serverInfo();
    const el = document.createElement("notify-bell");
    let expired = 0;
    el.addEventListener("notify-session-expired", () => expired++);
    el.setAttribute("server", server);
    el.setAttribute("token", await mintToken(sub, { badSignature: true }));
    document.body.append(el);
    await waitFor(() => expired === 1, "notify-session-expired");
    expect(el.status).to.equal("expired");
    $(el, ".bell")?.click();
    await waitFor(
      () => $(el, "[part=notice]")?.textContent?.startsWith("Session expired"),
      "the notice",
    );
    el.token = await mintToken(sub);
    await waitFor(() => el.status === "open", "the stream with the new token");
    await el.updateComplete;
    expect($(el, "[part=notice]")).to.equal(null);
  });

  it("asks a tokenProvider given alone for the first token", async () => {
    const sub = uniqueUser("provider-only");
    const { server } = await serverInfo();
    const el = document.createElement("notify-bell");
    let calls = 0;
    el.tokenProvider = () => {
      calls++;
      return mintToken(sub);
    };
    el.setAttribute("server", server);
    document.body.append(el);
    await waitFor(() => el.status === "open", "the stream to open");
    expect(calls).to.equal(1);
  });
});
