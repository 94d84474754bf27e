import { describe, expect, it } from "vitest";
import { encodeComment, encodeEvent } from "./sse-event.ts";

describe("encodeEvent", () => {
  it("writes event, data, id and retry lines ending with a blank line", () => {
    expect(encodeEvent({ event: "notification", data: "{}", id: "7", retry: 1000 })).toBe(
      "event: notification\ndata: {}\nid: 7\nretry: 1000\n\n",
    );
  });

  it("splits data on CR, LF and CRLF into separate data lines", () => {
    expect(encodeEvent({ data: "a\nb\rc\r\nd" })).toBe("data: a\ndata: b\ndata: c\ndata: d\n\n");
    expect(encodeEvent({ data: "" })).toBe("data: \n\n");
    expect(encodeEvent({ data: "\n" })).toBe("data: \ndata: \n\n");
  });

  it("writes an id with no data (sets the client's cursor without dispatching)", () => {
    expect(encodeEvent({ id: "42" })).toBe("id: 42\n\n");
  });

  it("refuses CR, LF or NUL in id and event rather than let them inject fields", () => {
    for (const bad of ["1\n", "1\rdata: x", "1\0"]) {
      expect(() => encodeEvent({ id: bad })).toThrow(RangeError);
      expect(() => encodeEvent({ event: bad })).toThrow(RangeError);
    }
    expect(() => encodeEvent({ retry: -1 })).toThrow(RangeError);
  });
});

describe("encodeComment", () => {
  it("keeps a comment on one line", () => {
    expect(encodeComment("ping")).toBe(": ping\n\n");
    expect(encodeComment("a\nb")).toBe(": a b\n\n");
  });
});
