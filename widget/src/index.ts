/** The bundle's entry: what `/widget.js` exports, and the element registered as a side effect. */
import "./define.ts";

export type { NotifyEventMap } from "./events.ts";
export type { NotifyStrings } from "./i18n.ts";
export { NotifyBell, type ToastPosition } from "./notify-bell.ts";
export type { TokenProvider } from "./token.ts";
export type { InboxFilter, NotifyItem } from "./types.ts";
