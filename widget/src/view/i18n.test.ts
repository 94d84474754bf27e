import { expect } from "@esm-bundle/chai";
import { badgeText, stringsFor } from "./i18n.ts";

describe("i18n", () => {
  it("picks Korean for ko and ko-KR, English otherwise", () => {
    expect(stringsFor("ko").panelTitle).to.equal("알림");
    expect(stringsFor("ko-KR").bellLabel(3)).to.equal("알림, 읽지 않음 3");
    expect(stringsFor("ko-KR").bellLabel(3, true)).to.equal("알림, 새 알림 3");
    expect(stringsFor("fr-FR").panelTitle).to.equal("Notifications");
    expect(stringsFor("").panelTitle).to.equal("Notifications");
  });

  it("lets any string be overridden, functions included", () => {
    const s = stringsFor("en", { panelTitle: "Inbox", bellLabel: (n) => `Bell (${n})` });
    expect(s.panelTitle).to.equal("Inbox");
    expect(s.bellLabel(2)).to.equal("Bell (2)");
    expect(s.markRead).to.equal("Mark as read");
  });

  it("includes the count in the bell's accessible name", () => {
    expect(stringsFor("en").bellLabel(0)).to.equal("Notifications");
    expect(stringsFor("en").bellLabel(5)).to.equal("Notifications, 5 unread");
    expect(stringsFor("en").bellLabel(5, true)).to.equal("Notifications, 5 new");
  });

  it("caps the badge at 99+", () => {
    expect(badgeText(0)).to.equal("0");
    expect(badgeText(99)).to.equal("99");
    expect(badgeText(100)).to.equal("99+");
  });
});
