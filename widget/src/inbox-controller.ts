/**
 * Connects the inbox store to the REST API for the element: loads pages, runs the user's
 * actions, and re-renders the host after each. A response for a filter the user has already
 * left is dropped (the generation check), never mixed into the new list.
 */
import type { ReactiveControllerHost } from "lit";
import { ApiError, type NotifyApi } from "./api.ts";
import { InboxStore } from "./store.ts";
import type { InboxFilter, LiveEvent } from "./types.ts";

export class InboxController {
  store = new InboxStore();
  api: NotifyApi | null = null;
  private generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onError: (error: ApiError) => void,
    readonly pageSize = 20,
  ) {}

  /** Forgets everything, for a new user; responses still in flight are dropped. */
  reset(): void {
    this.generation++;
    this.store = new InboxStore();
    this.host.requestUpdate();
  }

  async load(filter: InboxFilter = this.store.filter): Promise<void> {
    const api = this.api;
    if (!api) return;
    const generation = ++this.generation;
    this.store.beginLoad(filter);
    this.host.requestUpdate();
    try {
      const page = await api.list(filter, null, this.pageSize);
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
      const page = await api.list(store.filter, store.nextCursor, this.pageSize);
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
    this.store.patch(ids, { readAt: new Date().toISOString() });
    return this.mutate((api) => api.markRead(ids, keepalive));
  }

  markUnread(ids: string[]): Promise<void> {
    this.store.patch(ids, { readAt: null });
    return this.mutate((api) => api.markUnread(ids));
  }

  archive(ids: string[]): Promise<void> {
    this.store.patch(ids, { archivedAt: new Date().toISOString() });
    return this.mutate((api) => api.archive(ids));
  }

  readAll(): Promise<void> {
    const upTo = this.store.newestSeen;
    this.store.patchAllRead(new Date().toISOString());
    return this.mutate((api) => api.readAll(upTo));
  }

  /** Refreshes only the count, for tabs whose panel was never opened. */
  async refreshCount(): Promise<void> {
    if (!this.api) return;
    try {
      this.store.unreadCount = (await this.api.unreadCount()).unreadCount;
      this.host.requestUpdate();
    } catch (err) {
      this.report(err);
    }
  }

  private async mutate(call: (api: NotifyApi) => Promise<{ unreadCount: number }>) {
    this.host.requestUpdate();
    if (!this.api) return;
    try {
      this.store.unreadCount = (await call(this.api)).unreadCount;
    } catch (err) {
      this.report(err);
      // The optimistic change may be wrong now: the server's list is the truth.
      void this.load();
    }
    this.host.requestUpdate();
  }

  private report(err: unknown): void {
    this.onError(err instanceof ApiError ? err : new ApiError("unknown", String(err)));
  }
}
