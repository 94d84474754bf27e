/**
 * The open panel's behaviour, in the lazily loaded module (../inbox-panel.ts): which row Tab
 * enters (roving tabindex), arrow keys, focus on the first row after opening, infinite
 * scroll, marking rows seen, the snooze menu. The element keeps the shell (the dialog, its
 * focus on opening, Escape and closing) and calls `updated()` after each of its updates.
 *
 * Must stay true: focus moves to the first row only while it is still on the panel itself
 * (a user who tabbed on keeps their place), and never scrolls the page.
 */
import type { TemplateResult } from "lit";
import type { ClientStatus } from "../client.ts";
import type { InboxController } from "../inbox/inbox-controller.ts";
import { SeenObserver } from "../inbox/seen-observer.ts";
import type { CategoryJson, NotifyAction, NotifyItem } from "../types.ts";
import { chosenTabs } from "./category-tabs.ts";
import type { BellStrings } from "./i18n.ts";
import type { ItemContext } from "./item-view.ts";
import { panelStyles } from "./panel.styles.ts";
import { renderPanel } from "./panel-view.ts";

/** What the panel needs of its bell, given by the element (its members are private). */
export interface PanelHost {
  element: HTMLElement & { requestUpdate(): void; readonly updateComplete: Promise<boolean> };
  inbox(): InboxController;
  status(): ClientStatus;
  open(): boolean;
  /** The element's `categories` attribute: the tabs to show. */
  categories(): string;
  item(): ItemContext;
  act(item: NotifyItem, action: NotifyAction, event: Event): void;
  close(): void;
}

/** Gives a bell its panel: adopts the panel's styles into its shadow root, once. */
export function attachPanel(host: PanelHost): PanelController {
  const root = host.element.shadowRoot;
  const sheet = panelStyles.styleSheet;
  if (root && sheet && !root.adoptedStyleSheets.includes(sheet)) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
  return new PanelController(host);
}

export class PanelController {
  /** The row Tab enters. */
  private activeIndex = 0;
  /** The notification whose snooze menu is open. */
  private snoozing: string | null = null;
  /** The group keys whose members are shown. */
  private readonly expanded = new Set<string>();
  /** Set on opening: the first row takes focus as soon as the list has one. */
  private focusFirstRow: boolean;
  private readonly seen: SeenObserver;
  /** The tenant's categories, read once per user (changes to them are not streamed). */
  private categories: CategoryJson[] | null = null;
  /** The inbox these were read for: a new user (maybe of another tenant) gets a new one. */
  private store: unknown;
  private showingPreferences = false;

  constructor(private readonly host: PanelHost) {
    this.focusFirstRow = host.open();
    this.seen = new SeenObserver((ids) => host.inbox().markSeen(ids));
    this.store = host.inbox().store;
    void this.loadCategories();
  }

  /** The panel opened (again). */
  opened(): void {
    this.activeIndex = 0;
    this.snoozing = null;
    this.focusFirstRow = true;
    void this.loadCategories();
  }

  /** Quietly: without them there are no tabs and no preferences, and the list works. */
  private async loadCategories(): Promise<void> {
    const api = this.host.inbox().api;
    if (this.categories || !api) return;
    try {
      this.categories = (await api.categories()).categories;
      this.host.element.requestUpdate();
    } catch {
      // Asked again at the next opening.
    }
  }

  private togglePreferences(): void {
    this.showingPreferences = !this.showingPreferences;
    const inbox = this.host.inbox();
    if (this.showingPreferences && !inbox.store.preferences) void inbox.loadPreferences();
    this.host.element.requestUpdate();
  }

  /** After each update of the bell, once the shell has its focus. */
  updated(): void {
    if (this.focusFirstRow && this.rows().length > 0) {
      this.focusFirstRow = false;
      if (this.root().activeElement === this.root().querySelector(".panel")) this.focusItem(0);
    }
    this.fillPanel();
    if (this.host.open()) this.seen.watch(this.root().querySelectorAll("[data-unseen]"));
    else this.seen.stop();
  }

  /** The bell left the document. */
  stop(): void {
    this.seen.stop();
  }

  /** Keys inside the panel; false for those the shell handles (Escape closes it). */
  keydown(e: KeyboardEvent): boolean {
    if (e.key === "Escape" && this.snoozing) {
      // An open snooze menu closes first, giving focus back to its button.
      e.preventDefault();
      void this.toggleSnooze(this.snoozing);
      return true;
    }
    const rows = this.rows();
    const current = rows.findIndex((row) => row.contains(e.composedPath()[0] as Node));
    const next =
      current === -1
        ? e.key === "ArrowDown" && rows.length > 0
          ? 0
          : undefined
        : {
            ArrowDown: Math.min(current + 1, rows.length - 1),
            ArrowUp: Math.max(current - 1, 0),
            Home: 0,
            End: rows.length - 1,
          }[e.key];
    if (next === undefined) return false;
    e.preventDefault();
    this.focusItem(next);
    return true;
  }

  render(t: BellStrings): TemplateResult {
    const inbox = this.host.inbox();
    if (this.store !== inbox.store) {
      this.store = inbox.store;
      this.categories = null;
      this.showingPreferences = false;
      void this.loadCategories();
    }
    const status = this.host.status();
    return renderPanel({
      strings: t,
      store: inbox.store,
      notice:
        status === "expired"
          ? t.sessionExpired
          : status === "offline"
            ? t.offline
            : inbox.failedAction
              ? t.actionFailed
              : null,
      activeIndex: this.activeIndex,
      snoozing: this.snoozing,
      expanded: this.expanded,
      categories: this.categories ?? [],
      tabs: chosenTabs(this.host.categories(), this.categories ?? []),
      showingPreferences: this.showingPreferences,
      item: this.host.item(),
      actions: {
        toggleRead: (item) =>
          item.readAt === null ? inbox.markRead([item.id]) : inbox.markUnread([item.id]),
        archive: (item) => inbox.archive([item.id]),
        toggleSnooze: (item) => this.toggleSnooze(item.id),
        snooze: (item, until) => this.snooze(item, until),
        act: (item, action, e) => this.host.act(item, action, e),
        group: (members, archive) => inbox.group(members, archive),
        expand: (key) => {
          if (!this.expanded.delete(key)) this.expanded.add(key);
          this.host.element.requestUpdate();
        },
        readAll: () => inbox.readAll(),
        close: () => this.host.close(),
        showFilter: (filter) => inbox.load(filter),
        showCategory: (category) => inbox.load(inbox.store.filter, category),
        togglePreferences: () => this.togglePreferences(),
        setPreference: (preference) => inbox.setPreference(preference),
        retry: () => inbox.load(),
      },
      onListFocus: (e) => this.onListFocus(e),
      onScroll: () => this.fillPanel(),
    });
  }

  private root(): ShadowRoot {
    return this.host.element.shadowRoot as ShadowRoot;
  }

  private async toggleSnooze(id: string): Promise<void> {
    const closing = this.snoozing === id;
    this.snoozing = closing ? null : id;
    this.host.element.requestUpdate();
    if (!closing) return;
    await this.host.element.updateComplete;
    this.root()
      .querySelector<HTMLElement>(`.item[data-id="${id}"] [data-snooze]`)
      ?.focus({ preventScroll: true });
  }

  /** The row leaves the list: focus goes to the one that takes its place, or the panel. */
  private async snooze(item: NotifyItem, until: Date): Promise<void> {
    const index = this.rows().findIndex((row) => row.dataset.id === item.id);
    this.snoozing = null;
    void this.host.inbox().snooze(item.id, until.toISOString());
    await this.host.element.updateComplete;
    const rows = this.rows();
    if (rows.length > 0) this.focusItem(Math.min(index, rows.length - 1));
    else this.root().querySelector<HTMLElement>(".panel")?.focus({ preventScroll: true });
  }

  /** Roving tabindex: the row that last had focus is the one Tab comes back to. */
  private onListFocus(e: FocusEvent): void {
    const index = this.rows().findIndex((row) => row.contains(e.target as Node));
    if (index !== -1 && index !== this.activeIndex) {
      this.activeIndex = index;
      this.host.element.requestUpdate();
    }
  }

  private rows(): HTMLElement[] {
    return [...this.root().querySelectorAll<HTMLElement>(".list > .item")];
  }

  private focusItem(index: number): void {
    if (index !== this.activeIndex) {
      this.activeIndex = index;
      this.host.element.requestUpdate();
    }
    // Focus never scrolls the page or a container the bell sits in.
    this.rows()[index]?.querySelector<HTMLElement>(".item-main")?.focus({ preventScroll: true });
  }

  /** Infinite scroll: fetch the next page when the list's end comes into view. */
  private fillPanel(): void {
    const scroller = this.root().querySelector<HTMLElement>(".scroll");
    if (!this.host.open() || !scroller) return;
    if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 80) {
      void this.host.inbox().loadMore();
    }
  }
}
