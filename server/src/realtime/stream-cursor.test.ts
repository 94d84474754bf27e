import { describe, expect, it } from "vitest";
import { formatCursor, parseCursor } from "./stream-cursor.ts";

describe("stream cursors", () => {
  it("round-trip through their SSE id", () => {
    for (const cursor of [
      { from: 7, to: 7, after: 0 },
      { from: 7, to: 9, after: 120 },
    ]) {
      expect(parseCursor(formatCursor(cursor))).toEqual(cursor);
    }
    expect(formatCursor({ from: 7, to: 7, after: 0 })).toBe("7");
    expect(formatCursor({ from: 7, to: 9, after: 120 })).toBe("7.9.120");
  });

  it("refuse anything the server could not have sent", () => {
    for (const bad of [
      "",
      "abc",
      "-1",
      "1e3",
      "0x1",
      "1.0",
      "01",
      "9.7.1",
      "7.7.1",
      "1.2",
      "1..2",
    ]) {
      expect(parseCursor(bad), bad).toBeUndefined();
    }
    expect(parseCursor("9999999999999999")).toBeUndefined();
  });
});
