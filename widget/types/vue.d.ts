// `<notify-bell>` in Vue templates (vue-tsc, Volar): `/// <reference types="…/widget/types/vue.d.ts" />`,
// with `isCustomElement` for the tag in the Vue plugin's compiler options.
//
// Vue sets a binding as a property only when the element already has it, that is when
// `/widget.js` has loaded; before that it sets an attribute. So bind `tokenProvider` and
// `strings` with `.prop` (`:tokenProvider.prop="fn"`), which sets the property in either order.
import type { DefineComponent } from "vue";
import type { NotifyBell, NotifyBellAttributes, NotifyBellVueEvents } from "./markup.d.ts";

type NotifyBellVueProps = NotifyBellAttributes &
  Partial<Pick<NotifyBell, "tokenProvider" | "strings">> &
  NotifyBellVueEvents;

declare module "vue" {
  interface GlobalComponents {
    "notify-bell": DefineComponent<NotifyBellVueProps>;
  }
}
