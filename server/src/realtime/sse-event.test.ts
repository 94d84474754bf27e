import { createParser, type EventSourceMessage } from "eventsource-parser";
import fc from "fast-check";
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

/**
 * Property tests against an independent WHATWG-conformant parser (`eventsource-parser`):
 * whatever Unicode goes in, the parser reads back exactly the event that was encoded, however
 * the bytes are split across network chunks.
 */
describe("encodeEvent against eventsource-parser", () => {
  // Any code point, weighted towards what breaks framing: line breaks, colons, spaces, NUL,
  // a byte order mark and the Unicode line separators.
  const unit = fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("\r", "\n", "\r\n", ":", " ", "\0", "\uFEFF", "\u2028"),
    },
  );
  const text = fc.string({ unit, maxLength: 40 });
  const fieldText = text.filter((value) => !/[\r\n\0]/.test(value));
  const sseEvent = fc.record(
    {
      event: fieldText.filter((value) => value !== ""),
      data: text,
      id: fieldText,
      retry: fc.nat(),
    },
    { requiredKeys: ["data"] },
  );

  /** Feeds `bytes` to a fresh parser in pieces cut at `cuts` (byte offsets, any order). */
  function parse(bytes: Uint8Array, cuts: number[]) {
    const events: EventSourceMessage[] = [];
    const retries: number[] = [];
    const comments: string[] = [];
    const parser = createParser({
      onEvent: (event) => events.push(event),
      onRetry: (retry) => retries.push(retry),
      onComment: (comment) => comments.push(comment),
    });
    const decoder = new TextDecoder();
    const offsets = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
    let from = 0;
    for (const to of [...offsets, bytes.length]) {
      parser.feed(decoder.decode(bytes.subarray(from, to), { stream: true }));
      from = to;
    }
    parser.feed(decoder.decode());
    return { events, retries, comments };
  }

  it("round-trips every event, byte for byte, however the stream is chunked", () => {
    fc.assert(
      fc.property(
        fc.array(sseEvent, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat()),
        (sent, cuts) => {
          const bytes = new TextEncoder().encode(sent.map(encodeEvent).join(""));
          const { events, retries } = parse(bytes, cuts);
          // The one documented change: CR and CRLF inside data come back as LF (each line
          // break starts a new data line, which the parser joins with LF).
          expect(events).toEqual(
            sent.map((event) => ({
              event: event.event,
              id: event.id,
              data: event.data.replace(/\r\n|\r/g, "\n"),
            })),
          );
          expect(retries).toEqual(
            sent.flatMap((event) => (event.retry === undefined ? [] : [event.retry])),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it("round-trips data without carriage returns exactly, as UTF-8 bytes", () => {
    fc.assert(
      fc.property(
        text.filter((value) => !value.includes("\r")),
        fc.array(fc.nat()),
        (data, cuts) => {
          const [event] = parse(new TextEncoder().encode(encodeEvent({ data })), cuts).events;
          expect(new TextEncoder().encode(event?.data)).toEqual(new TextEncoder().encode(data));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("keeps a comment to one comment line that dispatches nothing", () => {
    fc.assert(
      fc.property(text, fc.array(fc.nat()), (comment, cuts) => {
        const parsed = parse(new TextEncoder().encode(encodeComment(comment)), cuts);
        expect(parsed.events).toEqual([]);
        expect(parsed.comments).toEqual([comment.replace(/\r\n|\r|\n/g, " ")]);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses any id or event with CR, LF or NUL", () => {
    fc.assert(
      fc.property(
        text.filter((value) => /[\r\n\0]/.test(value)),
        (bad) => {
          expect(() => encodeEvent({ id: bad })).toThrow(RangeError);
          expect(() => encodeEvent({ event: bad, data: "x" })).toThrow(RangeError);
        },
      ),
      { numRuns: 300 },
    );
  });
});
