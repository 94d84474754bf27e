import { expect } from "@esm-bundle/chai";
import { render } from "lit";
import type { NotifyItem } from "../types.ts";
import { stringsFor } from "./i18n.ts";
import { type ItemContext, renderRow, renderToast } from "./item-view.ts";

const base = "https://app.example.com/inbox";
const opened: string[] = [];
const ctx: ItemContext = {
  strings: stringsFor("en"),
  lang: "en",
  base,
  open: (item) => opened.push(item.id),
};
const actions = { toggleRead: () => {}, archive: () => {} };

function item(patch: Partial<NotifyItem>): NotifyItem {
  return {
    id: "1",
    title: "t",
    body: null,
    url: null,
    category: null,
    data: null,
    createdAt: new Date().toISOString(),
    readAt: null,
    archivedAt: null,
    expiresAt: null,
    seenAt: null,
    actor: null,
    actions: null,
    actionTaken: null,
    actionTakenAt: null,
    ...patch,
  };
}

function row(patch: Partial<NotifyItem>): HTMLElement {
  const host = document.createElement("ul");
  render(renderRow(item(patch), ctx, actions, true), host);
  return host;
}

describe("item view", () => {
  it("links only to http(s) and relative URLs", () => {
    expect(row({ url: "/orders/1" }).querySelector("a")?.getAttribute("href")).to.equal(
      "https://app.example.com/orders/1",
    );
    for (const url of ["javascript:alert(1)", "data:text/html,x", " javascript:alert(1)"]) {
      const el = row({ url });
      expect(el.querySelector("a"), url).to.equal(null);
      expect(el.querySelector("button.item-main"), url).to.not.equal(null);
      expect(el.innerHTML).to.not.include("javascript:");
    }
  });

  it("renders title and body as text", () => {
    const el = row({ title: "<b>bold</b>", body: "<img src=x onerror=alert(1)>" });
    expect(el.querySelector(".title")?.textContent).to.equal("<b>bold</b>");
    expect(el.querySelector("b, img")).to.equal(null);
  });

  it("isolates each title and body in its own direction", () => {
    const el = row({ title: "שלום עולם", body: "مرحبا بالعالم" });
    document.body.append(el);
    try {
      for (const part of [".title", ".body"]) {
        const text = el.querySelector(part) as HTMLElement;
        expect(text.matches(":dir(rtl)"), part).to.equal(true);
        expect(getComputedStyle(text).unicodeBidi, part).to.equal("isolate");
      }
    } finally {
      el.remove();
    }
  });

  it("marks unread rows and offers the matching action", () => {
    const unread = row({});
    expect(unread.querySelector(".item")?.classList.contains("unread")).to.equal(true);
    expect(unread.querySelector("[aria-label^='Mark as read']")).to.not.equal(null);
    const read = row({ readAt: new Date().toISOString(), archivedAt: new Date().toISOString() });
    expect(read.querySelector(".dot")?.hasAttribute("hidden")).to.equal(true);
    expect(read.querySelector("[aria-label^='Mark as unread']")).to.not.equal(null);
    expect(read.querySelector("[aria-label^='Archive']")).to.equal(null);
  });

  it("opens a toast's item on click", () => {
    const host = document.createElement("div");
    render(
      renderToast(item({ id: "42" }), ctx, () => {}),
      host,
    );
    host.querySelector<HTMLElement>(".item-main")?.click();
    expect(opened).to.include("42");
  });
});
