/**
 * The inbox as the panel shows it: one filter's items, newest first, its pagination cursor,
 * and the unread and unseen counts. Plain data, no DOM and no network, so every rule is unit-tested.
 *
 * Must stay true: the counts are only ever a number the server sent (a page, a mutation
 * response or a stream event), never local arithmetic; an id appears at most once.
 */
import { isAfter } from "../live/live-event.ts";
import type {
  CategoryCountJson,
  CountsJson,
  InboxFilter,
  InboxPage,
  LiveEvent,
  NotifyItem,
  PreferenceJson,
} from "../types.ts";

export type LoadState = "idle" | "loading" | "ready" | "error";

export class InboxStore {
  filter: InboxFilter = "all";
  /** The visible tab's category; null for every category. */
  category: string | null = null;
  items: NotifyItem[] = [];
  nextCursor: string | null = null;
  unreadCount = 0;
  unseenCount = 0;
  /** Unread and unseen per category, for the tabs; a category not listed has none. */
  categoryCounts: CategoryCountJson[] = [];
  /** The user's preferences, once loaded or sent by the stream; null until then. */
  preferences: PreferenceJson[] | null = null;
  state: LoadState = "idle";
  /** The newest notification id this tab has shown: "mark all read" goes no further. */
  newestSeen: string | null = null;
  loadingMore = false;
  /** Live events that arrived while the first page was loading, replayed over it. */
  private duringLoad: LiveEvent[] = [];

  get hasMore(): boolean {
    return this.nextCursor !== null;
  }

  /** Starts loading the first page of `filter` in `category`; the old list is dropped. */
  beginLoad(filter: InboxFilter = this.filter, category = this.category): void {
    this.filter = filter;
    this.category = category;
    this.items = [];
    this.nextCursor = null;
    this.state = "loading";
    this.loadingMore = false;
    this.duringLoad = [];
  }

  firstPage(page: InboxPage): void {
    this.items = [];
    this.addAll(page.items);
    this.nextCursor = page.nextCursor;
    this.count(page);
    this.state = "ready";
    const replay = this.duringLoad;
    this.duringLoad = [];
    for (const event of replay) this.apply(event);
  }

  nextPage(page: InboxPage): void {
    this.addAll(page.items);
    this.nextCursor = page.nextCursor;
    this.count(page);
    this.loadingMore = false;
  }

  /** A first page failed: the panel offers a retry. A failed next page just stops loading. */
  loadFailed(firstPage: boolean): void {
    if (firstPage) this.state = "error";
    this.loadingMore = false;
  }

  /** Applies a stream event; returns true when the caller must refetch (a `reset`). */
  apply(event: LiveEvent): boolean {
    if (event.type === "reset") {
      if (event.unreadCount !== null) this.count(event as CountsJson);
      return true;
    }
    if (event.type === "preferences") {
      // A category turned off or on in the inbox changes what the list holds: refetch.
      this.preferences = event.preferences;
      this.count(event);
      return true;
    }
    this.count(event.type === "delete" ? event : event.item);
    if (this.state === "loading") {
      this.duringLoad.push(event);
      return false;
    }
    // It may name one this tab never had (created and deleted between two reads): the count
    // above is all there is to take.
    if (event.type === "delete") {
      this.items = this.items.filter((i) => i.id !== event.itemId);
      return false;
    }
    const { unreadCount: _, unseenCount: __, ...item } = event.item;
    const index = this.items.findIndex((i) => i.id === item.id);
    const keep = matches(item, this.filter) && (!this.category || item.category === this.category);
    if (index !== -1) {
      // A read item stays in the unread list where the user saw it, until the next load.
      if (keep || (this.filter === "unread" && !item.archivedAt)) this.items[index] = item;
      else this.items.splice(index, 1);
    } else if (keep && this.withinLoaded(item.id)) {
      this.addAll([item]);
    }
    return false;
  }

  /** Takes the counts the server sent. */
  count({ unreadCount, unseenCount, categoryCounts }: CountsJson): void {
    this.unreadCount = unreadCount;
    this.unseenCount = unseenCount;
    if (categoryCounts) this.categoryCounts = categoryCounts;
  }

  /** Reflects a mutation before the server's `update` event confirms it. */
  patch(
    ids: readonly string[],
    change: Partial<
      Pick<NotifyItem, "readAt" | "archivedAt" | "seenAt" | "actionTaken" | "snoozedUntil">
    >,
  ): void {
    const wanted = new Set(ids);
    // Archived leaves every list but the archived one; snoozed leaves them all.
    const leaves = change.snoozedUntil || (change.archivedAt && this.filter !== "archived");
    this.items = this.items
      .map((i) => (wanted.has(i.id) ? { ...i, ...change } : i))
      .filter((i) => !(wanted.has(i.id) && leaves));
  }

  /** After "mark all read": every loaded item is read. */
  patchAllRead(at: string): void {
    this.items = this.items.map((i) => (i.readAt ? i : { ...i, readAt: at }));
  }

  /** An item older than the last loaded one belongs to a page not fetched yet. */
  private withinLoaded(id: string): boolean {
    const last = this.items.at(-1);
    return !this.hasMore || !last || isAfter(id, last.id);
  }

  private addAll(items: NotifyItem[]): void {
    const seen = new Set(this.items.map((i) => i.id));
    for (const item of items) {
      if (isAfter(item.id, this.newestSeen)) this.newestSeen = item.id;
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      this.items.push(item);
    }
    this.items.sort((a, b) => (a.id === b.id ? 0 : isAfter(a.id, b.id) ? -1 : 1));
  }
}

function matches(item: NotifyItem, filter: InboxFilter): boolean {
  // Snoozed (by the user elsewhere, or the tenant): out of every list until it comes back.
  if (item.snoozedUntil) return false;
  if (filter === "archived") return item.archivedAt !== null;
  if (item.archivedAt !== null) return false;
  return filter === "all" || item.readAt === null;
}
