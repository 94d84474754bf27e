/**
 * The events `<notify-bell>` fires. All bubble and are composed, so a listener on `document`
 * hears them from inside any shadow root. Only `notify-click` and `notify-action` are
 * cancelable.
 */
import type { NotifyAction, NotifyItem } from "./types.ts";

export interface NotifyEventMap {
  /** The panel opened. */
  "notify-open": CustomEvent<Record<string, never>>;
  /** The panel closed. */
  "notify-close": CustomEvent<Record<string, never>>;
  /** A live notification arrived (in every tab, not only the one showing the toast). */
  "notify-receive": CustomEvent<{ notification: NotifyItem }>;
  /**
   * An item or toast was clicked; `preventDefault()` stops the navigation to `url`. A
   * single-page app leaves a click with `newTab` (Ctrl/Cmd or middle button) to the browser.
   */
  "notify-click": CustomEvent<NotifyClickDetail>;
  /**
   * One of a notification's action buttons was clicked, in a row or a toast. The action is
   * recorded at the server whatever a listener does (the tenant's webhook and the user's
   * other tabs depend on it); `preventDefault()` stops only the navigation to `url`.
   */
  "notify-action": CustomEvent<NotifyActionDetail>;
  /**
   * The server refused the token and there is no `tokenProvider` (or it gave nothing usable):
   * nothing more arrives until the page sets a new `token`.
   */
  "notify-session-expired": CustomEvent<Record<string, never>>;
  /** A request or the stream failed; `code` is the server's error code when it sent one. */
  "notify-error": CustomEvent<{ code: string; message: string; status?: number }>;
}

export interface NotifyClickDetail {
  notification: NotifyItem;
  /** The safe absolute URL, or null when the item has none (or an unsafe one). */
  url: string | null;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  /** Whether the browser opens `url` in a new tab for this click (Ctrl/Cmd or middle). */
  newTab: boolean;
}

export interface NotifyActionDetail {
  notification: NotifyItem;
  /** The button: `id`, `label`, `url`, `style`. */
  action: NotifyAction;
  /** The action's safe absolute URL, or null when it has none (or an unsafe one). */
  url: string | null;
}

type Detail<K extends keyof NotifyEventMap> =
  NotifyEventMap[K] extends CustomEvent<infer D> ? D : never;

/** Fires a typed event; returns false when a listener cancelled it. */
export function emit<K extends keyof NotifyEventMap>(
  target: EventTarget,
  type: K,
  detail: Detail<K>,
): boolean {
  return target.dispatchEvent(
    new CustomEvent(type, {
      detail,
      bubbles: true,
      composed: true,
      cancelable: type === "notify-click" || type === "notify-action",
    }),
  );
}

declare global {
  interface HTMLElementEventMap extends NotifyEventMap {}
}
