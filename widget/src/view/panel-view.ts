/**
 * How the inside of the inbox panel looks: header, filters, the offline notice, the list, and
 * its loading, error and empty states. The panel itself (the dialog, its placement and keys)
 * is the element's shell; state and behaviour stay in the element; this only renders them.
 * It is part of the lazily loaded module (../inbox-panel.ts).
 */
import { html, nothing, type TemplateResult } from "lit";
import { groupRows } from "../inbox/group-rows.ts";
import type { InboxStore } from "../inbox/store.ts";
import type { InboxFilter } from "../types.ts";
import { type GroupActions, renderGroupRow } from "./group-view.ts";
import type { BellStrings, NotifyStrings } from "./i18n.ts";
import { closeIcon } from "./icons.ts";
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
  item: ItemContext;
  actions: GroupActions & {
    readAll(): void;
    close(): void;
    showFilter(filter: InboxFilter): void;
    retry(): void;
  };
  onListFocus(e: FocusEvent): void;
  onScroll(): void;
}

export function renderPanel(ctx: PanelContext): TemplateResult {
  const { store, actions } = ctx;
  const t = panelStrings(ctx.item.lang, ctx.strings);
  const row = { ...ctx.item, strings: t };
  return html`<div class="header" part="header">
      <h2 id="panel-title">${t.panelTitle}</h2>
      <button class="text-button" type="button"
        aria-disabled=${store.unreadCount === 0 ? "true" : "false"}
        @click=${() => store.unreadCount > 0 && actions.readAll()}>${t.markAllRead}</button>
      <button class="icon-button close" type="button" aria-label=${t.close} title=${t.close}
        @click=${() => actions.close()}>${closeIcon}</button>
    </div>
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
