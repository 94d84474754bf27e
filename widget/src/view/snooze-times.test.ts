import { expect } from "@esm-bundle/chai";
import { snoozeUntil } from "./snooze-times.ts";

/** A local time, as the user's browser reads it. */
const local = (y: number, m: number, d: number, h = 0, min = 0) => new Date(y, m - 1, d, h, min);

describe("snoozeUntil", () => {
  it("is an hour from now for '1 hour'", () => {
    const now = local(2026, 12, 1, 23, 30);
    expect(snoozeUntil("hour", now).getTime() - now.getTime()).to.equal(3_600_000);
  });

  it("is 09:00 local on the next day for 'tomorrow', also across a month's and a year's end", () => {
    expect(snoozeUntil("tomorrow", local(2026, 12, 1, 8, 0))).to.deep.equal(local(2026, 12, 2, 9));
    expect(snoozeUntil("tomorrow", local(2026, 12, 1, 23, 59))).to.deep.equal(
      local(2026, 12, 2, 9),
    );
    expect(snoozeUntil("tomorrow", local(2026, 11, 30, 12))).to.deep.equal(local(2026, 12, 1, 9));
    expect(snoozeUntil("tomorrow", local(2026, 12, 31, 12))).to.deep.equal(local(2027, 1, 1, 9));
  });

  it("is 09:00 local on the next Monday for 'next week'; on a Monday, the Monday after", () => {
    // 2026-11-30 is a Monday.
    expect(snoozeUntil("nextWeek", local(2026, 11, 30, 8))).to.deep.equal(local(2026, 12, 7, 9));
    expect(snoozeUntil("nextWeek", local(2026, 12, 1, 12))).to.deep.equal(local(2026, 12, 7, 9));
    expect(snoozeUntil("nextWeek", local(2026, 12, 5, 23))).to.deep.equal(local(2026, 12, 7, 9));
    expect(snoozeUntil("nextWeek", local(2026, 12, 6, 23))).to.deep.equal(local(2026, 12, 7, 9));
    expect(snoozeUntil("nextWeek", local(2026, 12, 30, 10))).to.deep.equal(local(2027, 1, 4, 9));
  });
});
