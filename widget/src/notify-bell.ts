import { html, LitElement, nothing, type PropertyValues } from "lit";
import type { ClientStatus } from "./client.ts";
import { ClientController } from "./client-controller.ts";
import { emit } from "./events.ts";
import type { TokenProvider } from "./live/token.ts";
import type { NotifyAction, NotifyItem } from "./types.ts";
import { AnnouncerController } from "./view/announcer.ts";
import { ClockController } from "./view/clock.ts";
import { type BellStrings, badgeText, type NotifyStrings, stringsFor } from "./view/i18n.ts";
import { bellIcon } from "./view/icons.ts";
import { type ItemContext, renderToast } from "./view/item-view.ts";
import { resolveLocale } from "./view/locale.ts";
import { styles } from "./view/notify-bell.styles.ts";
import { PageSchemeController } from "./view/page-scheme.ts";
import { isPageVoice } from "./view/page-voice.ts";
import { PanelLoader } from "./view/panel-loader.ts";
import { type Placement, parsePlacement } from "./view/placement.ts";
import { PopoverController } from "./view/popover-controller.ts";
import { safeUrl } from "./view/safe-url.ts";
import { ToastController } from "./view/toasts.ts";

/** The live connection's state, and `expired` once the token is refused for good. */
export type BellStatus = ClientStatus;

export type ToastPosition =
  | "top-left"
  | "top-center"
  | "top-right"
  | "bottom-left"
  | "bottom-center"
  | "bottom-right";

/**
 * A bell with a live unread count, an inbox panel and toasts for one signed-in user.
 * This header is the element's API, one tag per line: custom-elements.json is generated
 * from it and widget/README's tables are checked against that.
 *
 * @summary A bell with a live unread count, an inbox panel and toasts for one signed-in user.
 * @tag notify-bell
 *
 * @slot empty - Shown instead of the default text when the current list is empty.
 *
 * @csspart bell - The bell button.
 * @csspart badge - The unread count on the bell.
 * @csspart panel - The inbox panel.
 * @csspart header - The panel's title row.
 * @csspart filters - The unread / all / archived switch.
 * @csspart tabs - The category tabs (the `categories` attribute).
 * @csspart preferences - The preferences view: a switch pair per category.
 * @csspart notice - The offline, session expired or failed action line.
 * @csspart list - The list of notifications.
 * @csspart item - One notification row.
 * @csspart group - A group row (also an `item`): the unread notifications of one `groupKey`.
 * @csspart group-toggle - The button that shows or hides a group's members.
 * @csspart group-members - The list of a group's members, when shown.
 * @csspart item-title - The title of a row or toast.
 * @csspart item-body - The body of a row or toast.
 * @csspart item-time - The relative time of a row or toast.
 * @csspart avatar - The sender's avatar, or their initials.
 * @csspart unread-dot - The unread marker.
 * @csspart item-actions - The mark read / archive buttons of a row.
 * @csspart item-buttons - The notification's own action buttons (`.act`, `.primary`).
 * @csspart empty - The empty, loading and error messages.
 * @csspart toasts - The toast stack.
 * @csspart toast - One toast.
 *
 * @cssproperty --notify-font - Font family.
 * @cssproperty --notify-font-size - Base size.
 * @cssproperty --notify-accent - Links, the active filter, the unread dot.
 * @cssproperty --notify-accent-text - Text on the accent colour.
 * @cssproperty --notify-badge - The count on the bell.
 * @cssproperty --notify-badge-text - Text of the count.
 * @cssproperty --notify-bg - Panel and toast background.
 * @cssproperty --notify-text - Text.
 * @cssproperty --notify-muted - Secondary text.
 * @cssproperty --notify-border - Borders and separators.
 * @cssproperty --notify-hover - Hover background, the notice line.
 * @cssproperty --notify-unread-bg - Background of unread rows.
 * @cssproperty --notify-focus - Focus ring.
 * @cssproperty --notify-radius - Panel and toast corners.
 * @cssproperty --notify-shadow - Panel and toast shadow.
 * @cssproperty --notify-panel-width - Panel width (capped to the viewport).
 * @cssproperty --notify-panel-height - Panel height (capped to the viewport).
 * @cssproperty --notify-bell-size - The bell button.
 *
 * @fires notify-open - The panel opened.
 * @fires notify-close - The panel closed.
 * @fires notify-receive - A live notification arrived (in every tab).
 * @fires notify-click - An item or toast was clicked; cancelable, with modifier keys and `newTab`.
 * @fires notify-action - An action button was clicked; cancelable (stops only the navigation).
 * @fires notify-session-expired - The token was refused and nothing can renew it.
 * @fires notify-error - A request or the stream failed.
 */
export class NotifyBell extends LitElement {
  static override styles = styles;
  static override properties = {
    server: { type: String },
    token: { type: String },
    tokenProvider: { attribute: false },
    // Not reflected: an empty `lang=""` on the host would hide the page's language.
    lang: { type: String },
    position: { type: String, reflect: true },
    placement: { type: String, reflect: true },
    toasts: { type: String, reflect: true },
    theme: { type: String, reflect: true },
    badge: { type: String, reflect: true },
    categories: { type: String },
    strings: { attribute: false },
    // `open="false"` is closed: Vue and Svelte write a false binding as that attribute until
    // the element is defined.
    open: {
      type: Boolean,
      reflect: true,
      converter: { fromAttribute: (value: string | null) => value !== null && value !== "false" },
    },
    status: { state: true },
  };

  /** Server origin; defaults to the origin this script was loaded from. */
  declare server: string;
  /** The user's JWT, signed by the site's backend. */
  declare token: string;
  /** Called shortly before the token expires and after a 401; resolves to a new JWT. */
  declare tokenProvider: TokenProvider | undefined;
  /** BCP 47 language; falls back to the nearest `lang` attribute, then the browser's. */
  declare lang: string;
  /** Where toasts appear on the screen. */
  declare position: ToastPosition;
  /** Where the panel opens against the bell; it flips when that side has no room. */
  declare placement: Placement;
  /** `off`: this bell never shows toasts (another bell on the page for the same user does). */
  declare toasts: "on" | "off";
  /** `auto` follows the page's `color-scheme`, then the system's. */
  declare theme: "light" | "dark" | "auto";
  /** What the bell counts: `unseen` (not yet shown in the panel) or `unread`. */
  declare badge: "unseen" | "unread";
  /**
   * Category keys to show as tabs, space-separated, in that order; `*` for every category
   * the tenant declared. Without it, no tabs.
   */
  declare categories: string;
  /** Overrides for any built-in string. */
  declare strings: Partial<NotifyStrings> | undefined;
  /** Whether the panel is open; set it to open or close the panel from code. */
  declare open: boolean;
  /**
   * State of the live connection, shared by all tabs; `expired` when the token is refused.
   * @readonly
   */
  declare status: BellStatus;

  private readonly toastStack = new ToastController(this);
  private readonly announcer = new AnnouncerController(this);
  /** The panel's inside, a second module: loaded on the first hover, focus or open. */
  private readonly panelModule = new PanelLoader(
    {
      element: this,
      inbox: () => this.inbox,
      status: () => this.status,
      open: () => this.open,
      categories: () => this.categories,
      item: () => this.itemContext(),
      act: (item, action, e) => this.act(item, action, e),
      close: () => this.close(),
    },
    (err) => emit(this, "notify-error", { code: "network", message: `the inbox panel: ${err}` }),
  );
  /** The live connection and the inbox, for as long as the element is in the document. */
  private readonly connection = new ClientController(this, {
    status: (status) => {
      this.status = status;
    },
    received: (item) => this.received(item),
    deleted: (id) => this.toastStack.dismissItem(id),
    updated: (item) => this.toastStack.update(item),
    userChanged: () => {
      this.toastStack.clear();
      if (this.open) void this.inbox.load();
    },
  });

  constructor() {
    super();
    // Controllers register themselves: relative times move on by themselves, theme="auto"
    // follows the page's color-scheme, the panel and toasts live in the top layer.
    new ClockController(this);
    new PageSchemeController(this);
    new PopoverController(this);
    this.server = "";
    this.token = "";
    this.lang = "";
    this.position = "bottom-right";
    this.placement = "bottom-end";
    this.toasts = "on";
    this.theme = "auto";
    this.badge = "unseen";
    this.categories = "";
    this.open = false;
    this.status = "connecting";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener("pointerdown", this.onOutsidePointer);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener("pointerdown", this.onOutsidePointer);
    this.panelModule.view?.stop();
  }

  /** Loads the list again; the stream keeps running. */
  refresh(): Promise<void> {
    return this.inbox.load();
  }

  get unreadCount(): number {
    return this.inbox.store.unreadCount;
  }

  private get inbox() {
    return this.connection.client.inbox;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const { client } = this.connection;
    if (changed.has("tokenProvider")) client.tokenProvider = this.tokenProvider;
    if (changed.has("server")) client.server = this.server;
    if (changed.has("token")) client.token = this.token;
    // Also for a bell open from the start (`<notify-bell open>`), which never "opens"; after a
    // failure only on opening again (or Try again, or a hover), never at every update.
    if (this.open && (!this.panelModule.failed || changed.has("open"))) this.panelModule.load();
    if (changed.has("open") && changed.get("open") !== undefined) {
      if (this.open) {
        this.panelModule.view?.opened();
        const { state } = this.inbox.store;
        if (state === "idle" || state === "error") void this.inbox.load();
      }
      emit(this, this.open ? "notify-open" : "notify-close", {});
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The shell holds focus while the panel's module and list load; the panel moves it on.
    if (changed.has("open") && this.open) this.panel()?.focus({ preventScroll: true });
    this.panelModule.view?.updated();
  }

  /** Always a tag `Intl` accepts, whatever the page wrote (`en_US`, garbage, nothing). */
  private get resolvedLang(): string {
    return resolveLocale(
      this.lang,
      this.closest("[lang]")?.getAttribute("lang"),
      navigator.language,
    );
  }

  private get text(): BellStrings {
    return stringsFor(this.resolvedLang, this.strings);
  }

  /** Toasts and announcements only where the user is looking, and from one bell per page. */
  private received(item: NotifyItem): void {
    if (
      document.visibilityState === "visible" &&
      document.hasFocus() &&
      isPageVoice(this.connection.user, this)
    ) {
      if (this.toastStack.show(item)) this.announcer.say(this.text.announce(item.title));
    }
  }

  // User actions.

  private readonly onOutsidePointer = (e: PointerEvent) => {
    if (this.open && !e.composedPath().includes(this)) this.open = false;
  };

  /** Hover or focus on the bell: the panel's module arrives before the click, usually. */
  private readonly preload = () => this.panelModule.load();

  /** The panel's Try again when its module failed: focus waits in the panel for the rows. */
  private retryPanel(): void {
    this.panel()?.focus({ preventScroll: true });
    this.panelModule.load();
    if (this.inbox.store.state === "error") void this.inbox.load();
  }

  private toggle(): void {
    this.open = !this.open;
  }

  private close(): void {
    this.open = false;
    this.renderRoot.querySelector<HTMLElement>(".bell")?.focus({ preventScroll: true });
  }

  private openItem(item: NotifyItem, event: Event, toastKey?: number): void {
    const url = safeUrl(item.url, location.href);
    if (item.readAt === null) void this.inbox.markRead([item.id], url !== null);
    if (toastKey !== undefined) this.toastStack.dismiss(toastKey);
    const {
      ctrlKey = false,
      metaKey = false,
      shiftKey = false,
      altKey = false,
      button = 0,
    } = event as MouseEvent;
    const newTab = url !== null && (ctrlKey || metaKey || button === 1);
    const detail = { notification: item, url, ctrlKey, metaKey, shiftKey, altKey, newTab };
    if (!emit(this, "notify-click", detail)) event.preventDefault();
  }

  private readonly toastActions = {
    act: (item: NotifyItem, action: NotifyAction, e: Event) => this.act(item, action, e),
  };

  /**
   * An action button, in a row or a toast: `notify-action` first (cancelling it stops only a
   * link's navigation), then recorded, once. A toast shows it done at once, and as it was
   * again if the server did not take it.
   */
  private async act(item: NotifyItem, action: NotifyAction, event: Event): Promise<void> {
    const url = safeUrl(action.url ?? null, location.href);
    if (!emit(this, "notify-action", { notification: item, action, url })) event.preventDefault();
    this.toastStack.update({ ...item, actionTaken: action.id });
    await this.inbox.act(item, action);
    if (this.inbox.failedAction) this.toastStack.update(item);
  }

  private onPanelKeydown(e: KeyboardEvent): void {
    if (this.panelModule.view?.keydown(e) || e.key !== "Escape") return;
    e.preventDefault();
    this.close();
  }

  private panel(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(".panel");
  }

  /** Focus moving to something else on the page closes the panel, as a menu would. */
  private onPanelFocusOut(e: FocusEvent): void {
    const next = e.relatedTarget as Node | null;
    if (next && !this.contains(next) && !this.renderRoot.contains(next)) this.open = false;
  }

  // Rendering.

  protected override render() {
    const t = this.text;
    const unseen = this.badge !== "unread";
    const { unreadCount, unseenCount } = this.inbox.store;
    const count = unseen ? unseenCount : unreadCount;
    return html`<div class="root">
      <button class="bell" part="bell" type="button" aria-label=${t.bellLabel(count, unseen)}
        aria-haspopup="dialog" aria-expanded=${this.open ? "true" : "false"}
        aria-controls=${this.open ? "panel" : nothing} @click=${this.toggle}
        @pointerenter=${this.preload} @focus=${this.preload}>
        ${bellIcon}
        <span class="badge" part="badge" aria-hidden="true" ?hidden=${count === 0}
          >${badgeText(count)}</span
        >
      </button>
      ${this.open ? this.renderPanel(t) : nothing}
      ${this.open || this.toastStack.toasts.length === 0 ? nothing : this.renderToasts()}
      <div class="sr-only" role="status" aria-live="polite">
        ${this.announcer.messages.map((text) => html`<p>${text}</p>`)}
      </div>
    </div>`;
  }

  /** Hidden while the panel is open: the panel shows the same items. */
  private renderToasts() {
    return html`<div class="toasts" part="toasts" popover="manual" data-position=${this.position}
      @mouseenter=${() => this.toastStack.pause()} @mouseleave=${() => this.toastStack.resume()}
      @focusin=${() => this.toastStack.pause()} @focusout=${() => this.toastStack.resume()}>
      ${this.toastStack.toasts.map(({ key, item }) =>
        renderToast(item, this.itemContext(key), this.toastActions, () =>
          this.toastStack.dismiss(key),
        ),
      )}
    </div>`;
  }

  /**
   * The panel's shell: the dialog in the top layer, placed against the bell, holding focus
   * (tabindex -1) while its inside loads. Its inside is the lazily loaded module's, or a
   * loading or error state of its own until that has arrived.
   */
  private renderPanel(t: BellStrings) {
    return html`<div id="panel" class="panel" part="panel" role="dialog" popover="manual"
      tabindex="-1" data-placement=${parsePlacement(this.placement)} aria-label=${t.panelTitle}
      @keydown=${this.onPanelKeydown} @focusout=${this.onPanelFocusOut}>
      ${this.renderPanelInside(t)}
    </div>`;
  }

  private renderPanelInside(t: BellStrings) {
    const { view, failed } = this.panelModule;
    if (failed) {
      return html`<div class="state" part="empty">
        <p>${t.error}</p>
        <button class="text-button" type="button" @click=${this.retryPanel}>${t.retry}</button>
      </div>`;
    }
    return view
      ? view.render(t)
      : html`<p class="state" part="empty" role="status">${t.loading}</p>`;
  }

  private itemContext(toastKey?: number): ItemContext {
    return {
      strings: this.text,
      lang: this.resolvedLang,
      base: location.href,
      open: (item, e) => this.openItem(item, e, toastKey),
    };
  }
}
