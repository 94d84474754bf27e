/** The bundle's entry: what `/widget.js` exports, and the element registered as a side effect. */
import "./define.ts";

export type { NotifyEventMap } from "./events.ts";
export type { TokenProvider } from "./live/token.ts";
export { NotifyBell, type ToastPosition } from "./notify-bell.ts";
export type { InboxFilter, NotifyItem } from "./types.ts";
export type { NotifyStrings } from "./view/i18n.ts";
