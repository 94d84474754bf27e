import { expect } from "@esm-bundle/chai";
import { type SseMessage, SseParser } from "./sse-parser.ts";

function parse(chunks: (string | Uint8Array)[], lastEventId = "") {
  const messages: SseMessage[] = [];
  const ids: string[] = [];
  const retries: number[] = [];
  const parser = new SseParser(
    { message: (m) => messages.push(m), id: (id) => ids.push(id), retry: (ms) => retries.push(ms) },
    lastEventId,
  );
  const encoder = new TextEncoder();
  for (const chunk of chunks)
    parser.feed(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
  return { messages, ids, retries, parser };
}

describe("SseParser", () => {
  it("dispatches an event with its type, data and id", () => {
    const { messages } = parse(['id: 7\nevent: notification\ndata: {"a":1}\n\n']);
    expect(messages).to.deep.equal([{ event: "notification", data: '{"a":1}', id: "7" }]);
  });

  it("treats CR, LF and CRLF alike, even when CR and LF arrive in different chunks", () => {
    const { messages } = parse(["data: a\r", "\ndata: b\rdata: c\n\r", "\n", "data: d\r\r"]);
    expect(messages.map((m) => m.data)).to.deep.equal(["a\nb\nc", "d"]);
  });

  it("joins multi-line data with LF and keeps an empty data line", () => {
    const { messages } = parse(["data: one\ndata\ndata:  two\n\n"]);
    expect(messages[0]?.data).to.equal("one\n\n two");
  });

  it("decodes UTF-8 split across chunks and strips a leading BOM", () => {
    const bytes = new TextEncoder().encode("\uFEFFdata: 알림 🔔\n\n");
    const { messages } = parse([bytes.slice(0, 9), bytes.slice(9, 14), bytes.slice(14)]);
    expect(messages[0]?.data).to.equal("알림 🔔");
  });

  it("commits a bare id without dispatching a message (the server's cursor line)", () => {
    const { messages, ids, parser } = parse([": hello\nretry: 1500\nid: 42\n\n"]);
    expect(messages).to.have.length(0);
    expect(ids).to.deep.equal(["42"]);
    expect(parser.lastEventId).to.equal("42");
  });

  it("honours retry only when it is all digits", () => {
    const { retries } = parse(["retry: 2000\nretry: 1e3\nretry: -5\nretry:\n\n"]);
    expect(retries).to.deep.equal([2000]);
  });

  it("ignores comments and unknown fields, and an id containing NUL", () => {
    const { messages } = parse(["id: 3\n\n: ping\nfoo: bar\nid: 4\0x\ndata: x\n\n"]);
    expect(messages).to.deep.equal([{ event: "message", data: "x", id: "3" }]);
  });

  it("keeps the id across events that do not set one", () => {
    const { messages } = parse(["id: 9\ndata: a\n\ndata: b\n\n"]);
    expect(messages.map((m) => m.id)).to.deep.equal(["9", "9"]);
  });

  it("drops a half-received event on reset, keeping the last complete id", () => {
    const { messages, parser } = parse(["id: 1\ndata: a\n\nid: 2\ndata: partial"]);
    parser.reset();
    parser.feed(new TextEncoder().encode("\n\ndata: next\n\n"));
    expect(messages.map((m) => [m.id, m.data])).to.deep.equal([
      ["1", "a"],
      ["1", "next"],
    ]);
    expect(parser.lastEventId).to.equal("1");
  });

  it("starts from a given last event id", () => {
    const { messages } = parse(["data: x\n\n"], "77");
    expect(messages[0]?.id).to.equal("77");
  });
});
