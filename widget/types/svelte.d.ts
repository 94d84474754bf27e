// `<notify-bell>` in Svelte 5 markup (svelte-check): `/// <reference types="…/widget/types/svelte.d.ts" />`.
//
// Before `/widget.js` has loaded, Svelte sets an object prop as a property but anything else
// as an attribute, so a function (`tokenProvider`) would be lost: it is not a prop here. Set
// it from an attachment or `bind:this`, which works in either order (the element keeps
// properties set before it upgraded).
import type { HTMLAttributes } from "svelte/elements";
import type { NotifyBell, NotifyBellAttributes, NotifyBellEventAttributes } from "./markup.d.ts";

declare module "svelte/elements" {
  interface SvelteHTMLElements {
    "notify-bell": HTMLAttributes<NotifyBell> &
      NotifyBellAttributes &
      Partial<Pick<NotifyBell, "strings">> &
      NotifyBellEventAttributes;
  }
}
