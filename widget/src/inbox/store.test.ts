import { expect } from "@esm-bundle/chai";
import type { InboxFilter, LiveEvent, NotifyItem } from "../types.ts";
import { InboxStore } from "./store.ts";

function item(id: number, patch: Partial<NotifyItem> = {}): NotifyItem {
  return {
    id: String(id),
    title: `n${id}`,
    body: null,
    url: null,
    category: null,
    data: null,
    createdAt: "2025-06-01T12:00:00.000Z",
    readAt: null,
    archivedAt: null,
    expiresAt: null,
    seenAt: null,
    actor: null,
    actions: null,
    actionTaken: null,
    actionTakenAt: null,
    snoozedUntil: null,
    groupKey: null,
    ...patch,
  };
}

function live(type: "notification" | "update", n: NotifyItem, unreadCount: number): LiveEvent {
  return { type, id: `e${n.id}`, item: { ...n, unreadCount, unseenCount: unreadCount } };
}

function loaded(
  items: NotifyItem[],
  nextCursor: string | null = null,
  filter: InboxFilter = "all",
) {
  const store = new InboxStore();
  store.beginLoad(filter);
  store.firstPage({ items, nextCursor, unreadCount: 7, unseenCount: 7 });
  return store;
}

const ids = (store: InboxStore) => store.items.map((i) => i.id);

describe("InboxStore", () => {
  it("keeps items newest first and takes the count from the page", () => {
    const store = loaded([item(3), item(10), item(2)]);
    expect(ids(store)).to.deep.equal(["10", "3", "2"]);
    expect(store.unreadCount).to.equal(7);
    expect(store.state).to.equal("ready");
  });

  it("appends next pages without duplicates", () => {
    const store = loaded([item(10), item(9)], "c1");
    store.loadingMore = true;
    store.nextPage({ items: [item(9), item(8)], nextCursor: null, unreadCount: 6, unseenCount: 6 });
    expect(ids(store)).to.deep.equal(["10", "9", "8"]);
    expect(store.hasMore).to.equal(false);
    expect(store.loadingMore).to.equal(false);
  });

  it("puts a live notification on top and takes its count, never counting itself", () => {
    const store = loaded([item(5)]);
    store.apply(live("notification", item(6), 42));
    store.apply(live("notification", item(6), 42));
    expect(ids(store)).to.deep.equal(["6", "5"]);
    expect(store.unreadCount).to.equal(42);
  });

  it("applies updates in place and keeps a read item visible in the unread list", () => {
    const store = loaded([item(2), item(1)], null, "unread");
    store.apply(live("update", item(2, { readAt: "2025-06-01T12:01:00Z" }), 1));
    expect(ids(store)).to.deep.equal(["2", "1"]);
    expect(store.items[0]?.readAt).to.equal("2025-06-01T12:01:00Z");
    expect(store.unreadCount).to.equal(1);
  });

  it("removes archived items from active lists and adds them to the archived one", () => {
    const store = loaded([item(2), item(1)]);
    store.apply(live("update", item(2, { archivedAt: "2025-06-01T12:01:00Z" }), 1));
    expect(ids(store)).to.deep.equal(["1"]);
    const archived = loaded([item(1, { archivedAt: "x" })], null, "archived");
    archived.apply(live("update", item(2, { archivedAt: "y" }), 1));
    expect(ids(archived)).to.deep.equal(["2", "1"]);
  });

  it("does not add an old update beyond the loaded pages", () => {
    const store = loaded([item(10), item(9)], "more");
    store.apply(live("update", item(3, { readAt: null }), 2));
    expect(ids(store)).to.deep.equal(["10", "9"]);
  });

  it("replays events that arrive while the first page loads", () => {
    const store = new InboxStore();
    store.beginLoad("all");
    store.apply(live("notification", item(11), 8));
    store.apply(live("update", item(10, { readAt: "r" }), 7));
    store.firstPage({
      items: [item(10), item(9)],
      nextCursor: null,
      unreadCount: 9,
      unseenCount: 9,
    });
    expect(ids(store)).to.deep.equal(["11", "10", "9"]);
    expect(store.items[1]?.readAt).to.equal("r");
    expect(store.unreadCount).to.equal(7);
  });

  it("remembers the newest id shown, for a bounded mark-all-read", () => {
    const store = loaded([item(9), item(4)]);
    expect(store.newestSeen).to.equal("9");
    store.apply(live("notification", item(12), 3));
    expect(store.newestSeen).to.equal("12");
  });

  it("removes a deleted item and takes the delete event's count, even for an item never seen", () => {
    const store = loaded([item(9), item(4)]);
    expect(
      store.apply({ type: "delete", id: "e1", itemId: "9", unreadCount: 5, unseenCount: 5 }),
    ).to.equal(false);
    expect(ids(store)).to.deep.equal(["4"]);
    expect(store.unreadCount).to.equal(5);
    store.apply({ type: "delete", id: "e2", itemId: "77", unreadCount: 4, unseenCount: 4 });
    expect(ids(store)).to.deep.equal(["4"]);
    expect(store.unreadCount).to.equal(4);
  });

  it("replays a delete that arrives while the first page loads", () => {
    const store = new InboxStore();
    store.beginLoad("all");
    store.apply({ type: "delete", id: "e1", itemId: "10", unreadCount: 1, unseenCount: 1 });
    store.firstPage({
      items: [item(10), item(9)],
      nextCursor: null,
      unreadCount: 2,
      unseenCount: 2,
    });
    expect(ids(store)).to.deep.equal(["9"]);
    expect(store.unreadCount).to.equal(1);
  });

  it("asks for a refetch on reset and takes its count", () => {
    const store = loaded([item(1)]);
    expect(store.apply({ type: "reset", id: "99", unreadCount: 3, unseenCount: 3 })).to.equal(true);
    expect(store.unreadCount).to.equal(3);
  });

  it("takes the unseen count beside the unread one, and keeps neither in the item", () => {
    const store = loaded([item(1)]);
    store.apply({
      type: "update",
      id: "e1",
      item: { ...item(1, { seenAt: "now" }), unreadCount: 3, unseenCount: 1 },
    });
    expect([store.unreadCount, store.unseenCount]).to.deep.equal([3, 1]);
    expect(store.items[0]).to.deep.equal(item(1, { seenAt: "now" }));
    store.apply({ type: "reset", id: "9", unreadCount: 2, unseenCount: 0 });
    expect([store.unreadCount, store.unseenCount]).to.deep.equal([2, 0]);
  });

  it("patches optimistically without touching the count", () => {
    const store = loaded([item(2), item(1)]);
    store.patch(["1"], { readAt: "now" });
    expect(store.items[1]?.readAt).to.equal("now");
    store.patch(["2"], { archivedAt: "now" });
    expect(ids(store)).to.deep.equal(["1"]);
    store.patchAllRead("later");
    expect(store.items.every((i) => i.readAt)).to.equal(true);
    expect(store.unreadCount).to.equal(7);
  });

  it("in a category's tab, takes in only that category's live items, and keeps every count", () => {
    const store = new InboxStore();
    store.beginLoad("all", "comments");
    store.firstPage({
      items: [item(1, { category: "comments" })],
      nextCursor: null,
      unreadCount: 1,
      unseenCount: 1,
    });
    const counts = [{ category: "comments", unreadCount: 2, unseenCount: 2 }];
    store.apply({
      type: "notification",
      id: "e2",
      item: {
        ...item(2, { category: "security" }),
        unreadCount: 2,
        unseenCount: 2,
        categoryCounts: counts,
      },
    });
    expect(ids(store)).to.deep.equal(["1"]);
    expect(store.categoryCounts).to.deep.equal(counts);
    store.apply(live("notification", item(3, { category: "comments" }), 3));
    expect(ids(store)).to.deep.equal(["3", "1"]);
    // A count without categoryCounts (the totals only) keeps the last ones.
    expect(store.categoryCounts).to.deep.equal(counts);
  });

  it("takes a preferences event's set and counts, and asks for the list again", () => {
    const store = loaded([item(1)]);
    const preferences = [{ category: "comments", inInbox: false, asToast: true }];
    const refetch = store.apply({
      type: "preferences",
      id: "e9",
      preferences,
      unreadCount: 0,
      unseenCount: 0,
      categoryCounts: [],
    });
    expect(refetch).to.equal(true);
    expect(store.preferences).to.deep.equal(preferences);
    expect(store.unreadCount).to.equal(0);
  });
});
