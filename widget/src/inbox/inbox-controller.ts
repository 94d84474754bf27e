/**
 * Connects the inbox store to the REST API: loads pages, runs the user's actions, and tells
 * its host after each (the element re-renders; the headless client fires `change`). A response for a filter the user has already
 * left is dropped (the generation check), never mixed into the new list.
 */
import type { ReactiveControllerHost } from "lit";
import type {
  CountsJson,
  InboxFilter,
  LiveEvent,
  NotifyAction,
  NotifyItem,
  PreferenceJson,
} from "../types.ts";
import { ApiError, type NotifyApi } from "./api.ts";
import { InboxStore } from "./store.ts";

export class InboxController {
  store = new InboxStore();
  api: NotifyApi | null = null;
  /** The last action the server refused or never got; the panel says so until the next. */
  failedAction = false;
  private generation = 0;

  constructor(
    private readonly host: Pick<ReactiveControllerHost, "requestUpdate">,
    private readonly onError: (error: ApiError) => void,
    readonly pageSize = 20,
  ) {}

  /** Forgets everything, for a new user; responses still in flight are dropped. */
  reset(): void {
    this.generation++;
    this.store = new InboxStore();
    this.host.requestUpdate();
  }

  /** The first page of `filter`, in `category` (a tab; null for every category). */
  async load(
    filter: InboxFilter = this.store.filter,
    category: string | null = this.store.category,
  ): Promise<void> {
    const api = this.api;
    if (!api) return;
    const generation = ++this.generation;
    this.store.beginLoad(filter, category);
    this.host.requestUpdate();
    this.failedAction = false;
    try {
      const page = await api.list(filter, null, this.pageSize, category);
      if (generation !== this.generation) return;
      this.store.firstPage(page);
    } catch (err) {
      if (generation !== this.generation) return;
      this.store.loadFailed(true);
      this.report(err);
    }
    this.host.requestUpdate();
  }

  async loadMore(): Promise<void> {
    const { store, api } = this;
    if (!api || store.state !== "ready" || store.loadingMore || !store.nextCursor) return;
    const generation = this.generation;
    store.loadingMore = true;
    this.host.requestUpdate();
    try {
      const page = await api.list(store.filter, store.nextCursor, this.pageSize, store.category);
      if (generation !== this.generation) return;
      store.nextPage(page);
    } catch (err) {
      if (generation !== this.generation) return;
      store.loadFailed(false);
      this.report(err);
    }
    this.host.requestUpdate();
  }

  /** Applies a live event; a `reset` refetches the current list. */
  apply(event: LiveEvent): void {
    if (this.store.apply(event)) void this.load();
    this.host.requestUpdate();
  }

  markRead(ids: string[], keepalive = false): Promise<void> {
    return this.mutate(
      (store) => store.patch(ids, { readAt: new Date().toISOString() }),
      (api) => api.markRead(ids, keepalive),
    );
  }

  markUnread(ids: string[]): Promise<void> {
    return this.mutate(
      (store) => store.patch(ids, { readAt: null }),
      (api) => api.markUnread(ids),
    );
  }

  /**
   * Marks rows the user was shown as seen. Quietly: not the user's action, so a failure
   * neither restores anything nor shows the failed-action notice (the rows are seen again
   * at the next look).
   */
  async markSeen(ids: string[]): Promise<void> {
    const { store, api } = this;
    if (!api) return;
    store.patch(ids, { seenAt: new Date().toISOString() });
    this.host.requestUpdate();
    try {
      store.count(await api.markSeen(ids));
    } catch (err) {
      this.report(err);
    }
    this.host.requestUpdate();
  }

  /** Takes one of a notification's actions; it is read too. Once per notification. */
  act(item: NotifyItem, action: NotifyAction): Promise<void> {
    if (item.actionTaken) return Promise.resolve();
    return this.mutate(
      (store) =>
        store.patch([item.id], {
          actionTaken: action.id,
          readAt: item.readAt ?? new Date().toISOString(),
        }),
      (api) => api.act(item.id, action.id, !!action.url),
    );
  }

  /** Leaves every list and count until `until` (an ISO time), then comes back as new. */
  snooze(id: string, until: string): Promise<void> {
    return this.mutate(
      (store) => store.patch([id], { snoozedUntil: until }),
      (api) => api.snooze(id, until),
    );
  }

  archive(ids: string[]): Promise<void> {
    return this.mutate(
      (store) => store.patch(ids, { archivedAt: new Date().toISOString() }),
      (api) => api.archive(ids),
    );
  }

  /**
   * A group read or archived as one: `members` (newest first) at once here, and at the server
   * every unread member of its key up to the newest shown, so one arriving meanwhile stays.
   */
  group(members: NotifyItem[], archive?: boolean): Promise<void> {
    const [{ id, groupKey }] = members as [NotifyItem];
    const at = new Date().toISOString();
    return this.mutate(
      (store) =>
        store.patch(
          members.map((m) => m.id),
          archive ? { archivedAt: at } : { readAt: at },
        ),
      (api) => api.group(groupKey ?? "", id, archive),
    );
  }

  /** Marks read everything up to the newest shown, in the visible tab's category if any. */
  readAll(): Promise<void> {
    const { newestSeen, category } = this.store;
    return this.mutate(
      (store) => store.patchAllRead(new Date().toISOString()),
      (api) => api.readAll(newestSeen, category),
    );
  }

  /**
   * Sets one category's preferences: shown at once, then sent; the server's answer (every
   * preference, the counts) replaces them, and the list is loaded again (what it holds may
   * have changed). A failure puts them back.
   */
  async setPreference(preference: PreferenceJson): Promise<void> {
    const { store, api } = this;
    const before = store.preferences;
    if (!api || !before) return;
    store.preferences = before.map((p) => (p.category === preference.category ? preference : p));
    this.failedAction = false;
    this.host.requestUpdate();
    try {
      const answer = await api.setPreferences([preference]);
      store.preferences = answer.preferences;
      store.count(answer);
      void this.load();
    } catch (err) {
      store.preferences = before;
      this.failedAction = true;
      this.report(err);
    }
    this.host.requestUpdate();
  }

  /** Loads the user's preferences (the stream keeps them current after). */
  async loadPreferences(): Promise<void> {
    if (!this.api) return;
    try {
      this.store.preferences = (await this.api.preferences()).preferences;
    } catch (err) {
      this.report(err);
    }
    this.host.requestUpdate();
  }

  /** Refreshes only the count, for tabs whose panel was never opened. */
  async refreshCount(): Promise<void> {
    if (!this.api) return;
    try {
      this.store.count(await this.api.unreadCount());
      this.host.requestUpdate();
    } catch (err) {
      this.report(err);
    }
  }

  /**
   * Shows the change at once, then asks the server. A failure puts the items back as they
   * were (a failed action never costs the user the list they had) and is reported.
   */
  private async mutate(
    optimistic: (store: InboxStore) => void,
    call: (api: NotifyApi) => Promise<CountsJson>,
  ) {
    const { store, api } = this;
    if (!api) return;
    const before = store.items;
    optimistic(store);
    this.failedAction = false;
    this.host.requestUpdate();
    try {
      store.count(await call(api));
    } catch (err) {
      if (store === this.store) {
        store.items = before;
        this.failedAction = true;
      }
      this.report(err);
    }
    this.host.requestUpdate();
  }

  private report(err: unknown): void {
    this.onError(err instanceof ApiError ? err : new ApiError("unknown", String(err)));
  }
}
