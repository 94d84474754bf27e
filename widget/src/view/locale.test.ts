import { expect } from "@esm-bundle/chai";
import { resolveLocale } from "./locale.ts";

describe("resolveLocale", () => {
  it("canonicalises what pages really write", () => {
    expect(resolveLocale("en_US")).to.equal("en-US");
    expect(resolveLocale(" ko_kr ")).to.equal("ko-KR");
    expect(resolveLocale("EN-gb")).to.equal("en-GB");
  });

  it("keeps the valid head of a tag with a broken tail", () => {
    expect(resolveLocale("de-DE-!!")).to.equal("de-DE");
    expect(resolveLocale("fr-")).to.equal("fr");
  });

  it("gives way to the next candidate, then English", () => {
    expect(resolveLocale("", "ko")).to.equal("ko");
    expect(resolveLocale("!!", null, undefined, "ja-JP")).to.equal("ja-JP");
    expect(resolveLocale("!!", "")).to.equal("en");
    expect(resolveLocale()).to.equal("en");
  });

  it("returns tags every Intl API accepts", () => {
    for (const raw of ["en_US", "x", "zh_Hant_TW", "i-klingon", "*", "en-US-u-nu-thai", "🙂"]) {
      const tag = resolveLocale(raw);
      expect(() => new Intl.RelativeTimeFormat(tag).format(1, "day"), raw).to.not.throw();
      expect(() => new Date(0).toLocaleString(tag), raw).to.not.throw();
    }
  });
});
