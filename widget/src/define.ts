/** The only side effect of the widget: registers `<notify-bell>` (once, even if loaded twice). */
import { NotifyBell } from "./notify-bell.ts";

if (!customElements.get("notify-bell")) customElements.define("notify-bell", NotifyBell);

declare global {
  interface HTMLElementTagNameMap {
    "notify-bell": NotifyBell;
  }
}
