import { expect } from "@esm-bundle/chai";
import { render } from "lit";
import type { NotifyItem } from "../types.ts";
import { stringsFor } from "./i18n.ts";
import { type RowContext, renderRow, renderToast } from "./item-view.ts";
import { panelStrings } from "./panel-i18n.ts";

const base = "https://app.example.com/inbox";
const opened: string[] = [];
const ctx: RowContext = {
  strings: panelStrings("en", stringsFor("en")),
  lang: "en",
  base,
  open: (item) => opened.push(item.id),
  snoozing: false,
};
const acted: string[] = [];
const actions = {
  toggleRead: () => {},
  archive: () => {},
  toggleSnooze: () => {},
  snooze: () => {},
  act: (item: NotifyItem, action: { id: string }) => acted.push(`${item.id}:${action.id}`),
};

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
    snoozedUntil: null,
    groupKey: null,
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
      renderToast(item({ id: "42" }), ctx, actions, () => {}),
      host,
    );
    host.querySelector<HTMLElement>(".item-main")?.click();
    expect(opened).to.include("42");
  });
});

describe("item view: actor", () => {
  const actor = (name: string, avatarUrl: string | null = null) => ({ actor: { name, avatarUrl } });

  it("shows the avatar lazily, at a fixed size, without a referrer, over the initials", () => {
    const el = row(actor("Ana Lima", "https://cdn.example.com/ana.png"));
    const img = el.querySelector<HTMLImageElement>(".avatar img");
    expect(img?.getAttribute("src")).to.equal("https://cdn.example.com/ana.png");
    expect(img?.getAttribute("loading")).to.equal("lazy");
    expect(img?.getAttribute("referrerpolicy")).to.equal("no-referrer");
    expect([img?.getAttribute("width"), img?.getAttribute("height")]).to.deep.equal(["32", "32"]);
    expect(img?.alt).to.equal("");
    expect(el.querySelector(".avatar")?.textContent?.trim()).to.equal("AL");
  });

  it("shows only the initials for no avatar or one that is not https or a path on the site", () => {
    for (const url of [
      null,
      "http://cdn.example.com/a.png",
      "javascript:alert(1)",
      "//evil.example/a.png",
      "data:image/png;base64,AA",
    ]) {
      const el = row(actor("김 민수", url));
      expect(el.querySelector(".avatar img"), String(url)).to.equal(null);
      expect(el.querySelector(".avatar")?.textContent?.trim()).to.equal("김민");
    }
    expect(row({}).querySelector(".avatar")).to.equal(null);
  });

  it("falls back to the initials when the avatar fails to load", async () => {
    const ok = row(actor("Ok", "/docs/screenshots/demo-inbox.png"));
    const broken = row(actor("Bo Bu", "/no-such-avatar.png"));
    document.body.append(ok, broken);
    try {
      const [good, bad] = [ok, broken].map((el) => el.querySelector("img") as HTMLImageElement);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await Promise.all([good, bad].map((img) => img?.decode().catch(() => undefined)));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(good?.hidden).to.equal(false);
      expect(bad?.hidden).to.equal(true);
    } finally {
      ok.remove();
      broken.remove();
    }
  });
});

describe("item view: actions", () => {
  const accept = { id: "accept", label: "Accept", style: "primary" as const };
  const open = { id: "open", label: "Open", url: "/docs/q3" };

  it("renders the tenant's buttons, labels as text, a safe URL as a link", () => {
    const el = row({
      actions: [
        accept,
        open,
        { id: "x", label: "<img src=x onerror=alert(1)>", url: "javascript:alert(1)" },
      ],
    });
    const [first, second, third] = [...el.querySelectorAll<HTMLElement>(".buttons .act")];
    expect(first?.tagName).to.equal("BUTTON");
    expect(first?.classList.contains("primary")).to.equal(true);
    expect(second?.getAttribute("href")).to.equal("https://app.example.com/docs/q3");
    expect(third?.tagName).to.equal("BUTTON");
    expect(third?.textContent).to.equal("<img src=x onerror=alert(1)>");
    expect(el.querySelector(".buttons img")).to.equal(null);
    expect(el.innerHTML).to.not.include("javascript:");
    acted.length = 0;
    first?.click();
    expect(acted).to.deep.equal(["1:accept"]);
    expect(row({}).querySelector(".buttons")).to.equal(null);
  });

  it("shows the action taken as done and disables them all", () => {
    const el = row({ actions: [accept, open], actionTaken: "accept", actionTakenAt: "now" });
    const buttons = [...el.querySelectorAll<HTMLButtonElement>(".buttons .act")];
    expect(buttons.map((b) => [b.tagName, b.disabled])).to.deep.equal([
      ["BUTTON", true],
      ["BUTTON", true],
    ]);
    expect(buttons[0]?.textContent?.trim()).to.equal("Done:Accept");
    expect(buttons[0]?.querySelector("svg")).to.not.equal(null);
    expect(buttons[1]?.querySelector("svg")).to.equal(null);
  });
});
