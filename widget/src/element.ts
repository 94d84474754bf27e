/**
 * The side-effect-free entry: the element's class, the headless client it is built on, and
 * their types, nothing registered. For
 * pages that register the class themselves (under another tag, in a scoped registry);
 * `index.ts` (`/widget.js`) is this plus the definition of `<notify-bell>`.
 */
export {
  type ClientStatus,
  NotifyClient,
  type NotifyClientEventMap,
  type NotifyClientOptions,
} from "./client.ts";
export type { NotifyActionDetail, NotifyClickDetail, NotifyEventMap } from "./events.ts";
export type { TokenProvider } from "./live/token.ts";
export { type BellStatus, NotifyBell, type ToastPosition } from "./notify-bell.ts";
export type { InboxFilter, NotifyItem } from "./types.ts";
export type { NotifyStrings } from "./view/i18n.ts";
export type { Placement } from "./view/placement.ts";
