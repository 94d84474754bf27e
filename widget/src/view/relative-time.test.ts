import { expect } from "@esm-bundle/chai";
import { absoluteTime, relativeTime } from "./relative-time.ts";

const now = Date.parse("2025-06-01T12:00:00Z");
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

describe("relativeTime", () => {
  it("picks the largest fitting unit, in English", () => {
    expect(relativeTime(ago(0), "en", now)).to.equal("now");
    expect(relativeTime(ago(30), "en", now)).to.equal("30 seconds ago");
    expect(relativeTime(ago(5 * 60), "en", now)).to.equal("5 minutes ago");
    expect(relativeTime(ago(3 * 3600), "en", now)).to.equal("3 hours ago");
    expect(relativeTime(ago(24 * 3600), "en", now)).to.equal("yesterday");
    expect(relativeTime(ago(14 * 24 * 3600), "en", now)).to.equal("2 weeks ago");
    expect(relativeTime(ago(400 * 24 * 3600), "en", now)).to.equal("last year");
  });

  it("speaks Korean", () => {
    expect(relativeTime(ago(5 * 60), "ko", now)).to.equal("5분 전");
    expect(relativeTime(ago(24 * 3600), "ko", now)).to.equal("어제");
  });

  it("handles dates in the future and garbage", () => {
    expect(relativeTime(new Date(now + 120_000).toISOString(), "en", now)).to.equal("in 2 minutes");
    expect(relativeTime("not a date", "en", now)).to.equal("");
  });

  it("never throws on a language Intl refuses", () => {
    expect(relativeTime(ago(60), "en_US", now)).to.equal("");
    expect(absoluteTime(ago(60), "en_US")).to.equal("");
    expect(absoluteTime("not a date", "en")).to.equal("");
    expect(absoluteTime(ago(0), "en")).to.not.equal("");
  });
});
