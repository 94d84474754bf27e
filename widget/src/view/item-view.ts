/**
 * How one notification looks, in the panel and as a toast. Title and body are always bound as
 * text (Lit escapes them), each isolated with `dir="auto"` so a right-to-left title in a
 * left-to-right page (or the reverse) reads in its own direction and does not reorder the
 * text around it; the link is only ever a URL that passed `safeUrl`.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { NotifyAction, NotifyItem } from "../types.ts";
import type { BellStrings, NotifyStrings } from "./i18n.ts";
import { archiveIcon, checkIcon, clockIcon, closeIcon, dotIcon } from "./icons.ts";
import { absoluteTime, relativeTime } from "./relative-time.ts";
import { safeUrl } from "./safe-url.ts";
import { SNOOZE_CHOICES, type SnoozeChoice, snoozeUntil } from "./snooze-times.ts";

export interface ItemContext {
  strings: BellStrings;
  lang: string;
  /** Base for relative URLs: the page the widget is embedded in. */
  base: string;
  open(item: NotifyItem, event: Event): void;
}

/**
 * Who it is from: the avatar at a fixed size over the initials, which show when there is no
 * avatar or it fails to load. Only https and same-site paths are fetched (the server checks
 * the same), lazily and without a referrer, so an avatar host learns nothing of the page.
 */
export function avatar({ actor }: Pick<NotifyItem, "actor">) {
  if (!actor) return nothing;
  const src = actor.avatarUrl && /^(https:\/\/|\/(?![/\\]))/i.test(actor.avatarUrl);
  const initials = actor.name
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .map((word) => [...word][0])
    .join("")
    .toUpperCase();
  return html`<span class="avatar" part="avatar" aria-hidden="true">${initials}${
    src
      ? html`<img src=${actor.avatarUrl} alt="" width="32" height="32" loading="lazy"
          referrerpolicy="no-referrer" @error=${(e: Event) => ((e.target as HTMLElement).hidden = true)}>`
      : nothing
  }</span>`;
}

/**
 * The clickable part shared by rows, group rows and toasts: a link when the URL is safe, else
 * a button. A group row (group-view.ts) gives its members' avatars and its summary line.
 */
export function itemMain(
  item: NotifyItem,
  ctx: ItemContext,
  tabindex: number,
  faces: unknown = avatar(item),
  line: unknown = item.body,
) {
  const href = safeUrl(item.url, ctx.base);
  const content = html`
    <span class="dot" part="unread-dot" ?hidden=${item.readAt !== null}>
      <span class="sr-only">${ctx.strings.unreadMarker}</span>
    </span>
    ${faces}
    <span class="title" part="item-title" dir="auto">${item.title}</span>
    ${line ? html`<span class="body" part="item-body" dir="auto">${line}</span>` : nothing}
    <time class="time" part="item-time" datetime=${item.createdAt}
      title=${absoluteTime(item.createdAt, ctx.lang)}
      >${relativeTime(item.createdAt, ctx.lang)}</time
    >`;
  const open = (e: Event) => ctx.open(item, e);
  return href
    ? html`<a class="item-main" href=${href} tabindex=${tabindex}
        @click=${open}>${content}</a>`
    : html`<button class="item-main" type="button" tabindex=${tabindex}
        @click=${open}>${content}</button>`;
}

/** A row's context: the panel's strings, and whether its snooze menu is open. */
export interface RowContext extends ItemContext {
  strings: NotifyStrings;
  snoozing: boolean;
}

export interface RowActions {
  toggleRead(item: NotifyItem): void;
  archive(item: NotifyItem): void;
  /** Opens or closes the row's snooze menu. */
  toggleSnooze(item: NotifyItem): void;
  snooze(item: NotifyItem, until: Date): void;
  /** Records the action (also when it is a link, which the browser then follows). */
  act(item: NotifyItem, action: NotifyAction, event: Event): void;
}

/**
 * The tenant's buttons, labels as text. Once one was taken (here, in another tab, or on
 * another device: the stream says so), all are disabled and the taken one is marked done.
 * One with a URL is a link, when the URL is safe, so the browser's own ways of opening links
 * (a new tab, middle click) work.
 */
function renderButtons(
  item: NotifyItem,
  ctx: ItemContext,
  actions: Pick<RowActions, "act">,
  tabindex: number,
) {
  const taken = item.actionTaken;
  return html`<span class="buttons" part="item-buttons">${item.actions?.map((action) => {
    const href = taken ? null : safeUrl(action.url ?? null, ctx.base);
    const act = (e: Event) => actions.act(item, action, e);
    const cls = `act ${action.style ?? ""}`;
    return href
      ? html`<a class=${cls} href=${href} tabindex=${tabindex} @click=${act}>${action.label}</a>`
      : html`<button class=${cls} type="button" tabindex=${tabindex} ?disabled=${!!taken}
          @click=${act}>${
            taken === action.id
              ? html`${checkIcon}<span class="sr-only">${ctx.strings.actionDone}</span>`
              : nothing
          }${action.label}</button>`;
  })}</span>`;
}

const SNOOZE_LABELS = {
  hour: "snoozeHour",
  tomorrow: "snoozeTomorrow",
  nextWeek: "snoozeNextWeek",
} as const satisfies Record<SnoozeChoice, keyof NotifyStrings>;

/** The snooze menu's choices, each with the time it comes back as its tooltip. */
function renderSnooze(item: NotifyItem, ctx: RowContext, actions: RowActions, tabindex: number) {
  return html`<span class="snooze" id="snooze-${item.id}" role="group"
    aria-label="${ctx.strings.snooze}: ${item.title}">${SNOOZE_CHOICES.map(
      (choice) => html`<button class="act" type="button" tabindex=${tabindex}
        title=${absoluteTime(snoozeUntil(choice).toISOString(), ctx.lang)}
        @click=${() => actions.snooze(item, snoozeUntil(choice))}>${ctx.strings[SNOOZE_LABELS[choice]]}</button>`,
    )}</span>`;
}

export function renderRow(
  item: NotifyItem,
  ctx: RowContext,
  actions: RowActions,
  active: boolean,
): TemplateResult {
  const tabindex = active ? 0 : -1;
  const unread = item.readAt === null;
  return html`<li class="item ${unread ? "unread" : ""}" part="item" data-id=${item.id}
    ?data-unseen=${unread && !item.seenAt}>
    ${itemMain(item, ctx, tabindex)}
    <span class="actions" part="item-actions">
      <button class="icon-button" type="button" tabindex=${tabindex}
        aria-label="${unread ? ctx.strings.markRead : ctx.strings.markUnread}: ${item.title}"
        title=${unread ? ctx.strings.markRead : ctx.strings.markUnread}
        @click=${() => actions.toggleRead(item)}>${unread ? checkIcon : dotIcon}</button>
      ${
        item.archivedAt
          ? nothing
          : html`<button class="icon-button" type="button" tabindex=${tabindex}
              aria-label="${ctx.strings.archive}: ${item.title}" title=${ctx.strings.archive}
              @click=${() => actions.archive(item)}>${archiveIcon}</button>
            <button class="icon-button" type="button" tabindex=${tabindex}
              aria-label="${ctx.strings.snooze}: ${item.title}" title=${ctx.strings.snooze}
              aria-expanded=${ctx.snoozing ? "true" : "false"}
              aria-controls=${ctx.snoozing ? `snooze-${item.id}` : nothing}
              data-snooze @click=${() => actions.toggleSnooze(item)}>${clockIcon}</button>`
      }
    </span>
    ${ctx.snoozing ? renderSnooze(item, ctx, actions, tabindex) : nothing}
    ${item.actions ? renderButtons(item, ctx, actions, tabindex) : nothing}
  </li>`;
}

/** A toast: the row's look, with its action buttons (done once taken), and a dismiss. */
export function renderToast(
  item: NotifyItem,
  ctx: ItemContext,
  actions: Pick<RowActions, "act">,
  dismiss: () => void,
): TemplateResult {
  return html`<div class="toast" part="toast" data-id=${item.id}>
    ${itemMain(item, ctx, 0)}
    <button class="icon-button" type="button" aria-label="${ctx.strings.dismiss}: ${item.title}"
      title=${ctx.strings.dismiss} @click=${dismiss}>${closeIcon}</button>
    ${item.actions ? renderButtons(item, ctx, actions, 0) : nothing}
  </div>`;
}
