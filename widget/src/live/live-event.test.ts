import { expect } from "@esm-bundle/chai";
import { isAfter, parseLiveEvent } from "./live-event.ts";

const item = {
  id: "12",
  title: "Hi",
  body: null,
  url: null,
  category: null,
  data: null,
  createdAt: "2025-06-01T12:00:00.000Z",
  readAt: null,
  archivedAt: null,
  unreadCount: 4,
  unseenCount: 2,
};

describe("parseLiveEvent", () => {
  it("parses notification and update events", () => {
    const e = parseLiveEvent({ event: "notification", data: JSON.stringify(item), id: "5" });
    expect(e).to.deep.equal({ type: "notification", id: "5", item });
    expect(parseLiveEvent({ event: "update", data: JSON.stringify(item), id: "6" })?.type).to.equal(
      "update",
    );
  });

  it("parses reset with or without a count", () => {
    expect(
      parseLiveEvent({
        event: "reset",
        data: '{"unreadCount":3,"unseenCount":1,"reason":"stale"}',
        id: "9",
      }),
    ).to.deep.equal({ type: "reset", id: "9", unreadCount: 3, unseenCount: 1 });
    expect(parseLiveEvent({ event: "reset", data: "{}", id: "9" })).to.deep.equal({
      type: "reset",
      id: "9",
      unreadCount: null,
      unseenCount: null,
    });
  });

  it("parses preferences: the whole set and the counts; drops one without them", () => {
    const preferences = [{ category: "c", inInbox: false, asToast: true }];
    expect(
      parseLiveEvent({
        event: "preferences",
        data: JSON.stringify({ preferences, unreadCount: 1, unseenCount: 0, categoryCounts: [] }),
        id: "9",
      }),
    ).to.deep.equal({
      type: "preferences",
      id: "9",
      preferences,
      unreadCount: 1,
      unseenCount: 0,
      categoryCounts: [],
    });
    expect(
      parseLiveEvent({ event: "preferences", data: '{"unreadCount":1,"unseenCount":0}', id: "9" }),
    ).to.equal(null);
    expect(
      parseLiveEvent({ event: "preferences", data: JSON.stringify({ preferences }), id: "9" }),
    ).to.equal(null);
  });

  it("parses delete, whose data names the notification and the counts", () => {
    expect(
      parseLiveEvent({
        event: "delete",
        data: '{"id":"12","unreadCount":2,"unseenCount":1,"categoryCounts":[{"category":"c","unreadCount":2,"unseenCount":1}]}',
        id: "8.9.12",
      }),
    ).to.deep.equal({
      type: "delete",
      id: "8.9.12",
      itemId: "12",
      unreadCount: 2,
      unseenCount: 1,
      categoryCounts: [{ category: "c", unreadCount: 2, unseenCount: 1 }],
    });
    expect(parseLiveEvent({ event: "delete", data: '{"id":"12"}', id: "8" })).to.equal(null);
    expect(
      parseLiveEvent({ event: "delete", data: '{"id":"12","unreadCount":2}', id: "8" }),
    ).to.equal(null);
  });

  it("drops unknown events and malformed data", () => {
    expect(parseLiveEvent({ event: "message", data: JSON.stringify(item), id: "1" })).to.equal(
      null,
    );
    expect(parseLiveEvent({ event: "notification", data: "{not json", id: "1" })).to.equal(null);
    expect(parseLiveEvent({ event: "notification", data: "null", id: "1" })).to.equal(null);
    const { unreadCount: _, ...noCount } = item;
    expect(
      parseLiveEvent({ event: "notification", data: JSON.stringify(noCount), id: "1" }),
    ).to.equal(null);
  });
});

describe("isAfter", () => {
  it("orders decimal ids numerically, beyond 2^53", () => {
    expect(isAfter("10", "9")).to.equal(true);
    expect(isAfter("9", "10")).to.equal(false);
    expect(isAfter("10", "10")).to.equal(false);
    expect(isAfter("90071992547409930", "90071992547409929")).to.equal(true);
    expect(isAfter("007", "6")).to.equal(true);
  });

  it("never blocks on a missing or non-numeric id", () => {
    expect(isAfter("1", "")).to.equal(true);
    expect(isAfter("1", null)).to.equal(true);
    expect(isAfter("abc", "5")).to.equal(true);
  });
});
