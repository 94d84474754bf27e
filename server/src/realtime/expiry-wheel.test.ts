import { describe, expect, it } from "vitest";
import { ExpiryWheel } from "./expiry-wheel.ts";

const at = (expiresAt: number, name = String(expiresAt)) => ({ expiresAt, name });

describe("ExpiryWheel", () => {
  it("returns what has expired, across windows, and nothing early", () => {
    const wheel = new ExpiryWheel<ReturnType<typeof at>>(1_000);
    const items = [at(500), at(999), at(1_000), at(1_700), at(5_000)];
    for (const item of items) wheel.add(item);
    expect(wheel.expired(0)).toEqual([]);
    expect(wheel.expired(999).map((i) => i.expiresAt)).toEqual([500, 999]);
    expect(wheel.expired(1_500).map((i) => i.expiresAt)).toEqual([500, 999, 1_000]);
    expect(wheel.expired(10_000)).toHaveLength(items.length);
  });

  it("forgets what is deleted, even while the window still holds others", () => {
    const wheel = new ExpiryWheel<ReturnType<typeof at>>(1_000);
    const first = at(100, "first");
    const second = at(200, "second");
    wheel.add(first);
    wheel.add(second);
    wheel.delete(first);
    expect(wheel.expired(1_000)).toEqual([second]);
    wheel.delete(second);
    wheel.delete(second); // twice is harmless
    expect(wheel.expired(1_000)).toEqual([]);
  });
});
