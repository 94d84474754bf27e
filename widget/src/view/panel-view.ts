/**
 * How the inside of the inbox panel looks: header, filters, the offline notice, the list, and
 * its loading, error and empty states. The panel itself (the dialog, its placement and keys)
 * is the element's shell; state and behaviour stay in the element; this only renders them.
 * It is part of the lazily loaded module (../inbox-panel.ts).
 */
import { html, nothing, type TemplateResult } from "lit";
import { groupRows } from "../inbox/group-rows.ts";
import type { InboxStore } from "../inbox/store.ts";
import type { CategoryJson, InboxFilter, PreferenceJson } from "../types.ts";
import { renderPreferences, renderTabs } from "./category-tabs.ts";
import { type GroupActions, renderGroupRow } from "./group-view.ts";
import type { BellStrings, NotifyStrings } from "./i18n.ts";
import { closeIcon, gearIcon } from "./icons.ts";
import { type ItemContext, renderRow } from "./item-view.ts";
import { panelStrings } from "./panel-i18n.ts";

const FILTERS: InboxFilter[] = ["unread", "all", "archived"];

export interface PanelContext {
  /** The element's strings, the page's overrides in them; the panel adds its own under. */
  strings: BellStrings;
  store: InboxStore;
  /** The line under the filters: offline, session expired, a failed action; null for none. */
  notice: string | null;
  /** The row Tab enters (roving tabindex). */
  activeIndex: number;
  /** The notification whose snooze menu is open, if any. */
  snoozing: string | null;
  /** The group keys whose members are shown. */
  expanded: ReadonlySet<string>;
  /** The tenant's categories (empty until loaded), and those shown as tabs. */
  categories: CategoryJson[];
  tabs: CategoryJson[];
  /** The preferences view is shown instead of the filters and the list. */
  showingPreferences: boolean;
  item: ItemContext;
  actions: GroupActions & {
    readAll(): void;
    close(): void;
    showFilter(filter: InboxFilter): void;
    showCategory(category: string | null): void;
    togglePreferences(): void;
    setPreference(preference: PreferenceJson): void;
    retry(): void;
  };
  onListFocus(e: FocusEvent): void;
  onScroll(): void;
}

export function renderPanel(ctx: PanelContext): TemplateResult {
  const { store, actions } = ctx;
  const t = panelStrings(ctx.item.lang, ctx.strings);
  const { lang } = ctx.item;
  // "Mark all as read" applies to the visible tab, so it counts that tab's unread.
  const unread = store.category
    ? (store.categoryCounts.find((c) => c.category === store.category)?.unreadCount ?? 0)
    : store.unreadCount;
  const header = html`<div class="header" part="header">
      <h2 id="panel-title">${t.panelTitle}</h2>
      ${
        ctx.showingPreferences
          ? nothing
          : html`<button class="text-button" type="button"
              aria-disabled=${unread === 0 ? "true" : "false"}
              @click=${() => unread > 0 && actions.readAll()}>${t.markAllRead}</button>`
      }
      ${
        ctx.categories.length > 0
          ? html`<button class="icon-button" type="button" aria-label=${t.preferences}
              title=${t.preferences} aria-pressed=${ctx.showingPreferences ? "true" : "false"}
              @click=${() => actions.togglePreferences()}>${gearIcon}</button>`
          : nothing
      }
      <button class="icon-button close" type="button" aria-label=${t.close} title=${t.close}
        @click=${() => actions.close()}>${closeIcon}</button>
    </div>`;
  // One template around both views, so switching them keeps the header's elements, and the
  // keyboard focus on its preferences button (two templates rebuilt the header and lost it).
  return html`${header}${
    ctx.showingPreferences
      ? html`<div class="scroll">
          ${renderPreferences(ctx.categories, store.preferences, t, lang, actions.setPreference)}
        </div>`
      : listView(ctx, t)
  }`;
}

/** The tabs, filters, notice and list: what the preferences view replaces. */
function listView(ctx: PanelContext, t: NotifyStrings) {
  const { store, actions } = ctx;
  const { lang } = ctx.item;
  const row = { ...ctx.item, strings: t };
  return html`${renderTabs(ctx.tabs, store, t, lang, actions.showCategory)}
    <div class="filters" part="filters" role="group" aria-label=${t.filtersLabel}>
      ${FILTERS.map(
        (f) => html`<button type="button" aria-pressed=${store.filter === f ? "true" : "false"}
          @click=${() => actions.showFilter(f)}>${filterLabel(t, f)}</button>`,
      )}
    </div>
    ${ctx.notice ? html`<p class="notice" part="notice" role="status">${ctx.notice}</p>` : nothing}
    <div class="scroll" @scroll=${ctx.onScroll}>
      ${
        store.items.length > 0
          ? html`<ul class="list" part="list" aria-labelledby="panel-title"
              @focusin=${ctx.onListFocus}>
              ${groupRows(store.items).map(({ item, members }, i) =>
                members && members.length > 1
                  ? renderGroupRow(
                      members,
                      {
                        ...row,
                        snoozing: false,
                        snoozingId: ctx.snoozing,
                        expanded: ctx.expanded.has(item.groupKey ?? ""),
                      },
                      actions,
                      i === ctx.activeIndex,
                    )
                  : renderRow(
                      item,
                      { ...row, snoozing: ctx.snoozing === item.id },
                      actions,
                      i === ctx.activeIndex,
                    ),
              )}
            </ul>`
          : nothing
      }
      ${renderState(ctx, t)}
    </div>`;
}

function renderState({ store, actions }: PanelContext, t: NotifyStrings) {
  if (store.state === "loading" || store.loadingMore) {
    return html`<p class="state" part="empty" role="status">
      ${store.loadingMore ? t.loadingMore : t.loading}
    </p>`;
  }
  if (store.state === "error") {
    return html`<div class="state" part="empty">
      <p>${t.error}</p>
      <button class="text-button" type="button" @click=${() => actions.retry()}>${t.retry}</button>
    </div>`;
  }
  if (store.items.length === 0 && store.state === "ready") {
    return html`<div class="state" part="empty">
      <slot name="empty">${store.filter === "archived" ? t.emptyArchived : t.empty}</slot>
    </div>`;
  }
  return nothing;
}

function filterLabel(t: NotifyStrings, filter: InboxFilter): string {
  return filter === "unread" ? t.filterUnread : filter === "all" ? t.filterAll : t.filterArchived;
}
