// `<notify-bell>` in React 19's JSX: `/// <reference types="…/widget/types/react.d.ts" />`.
//
// React 19 sets a prop on a custom element as a property only when the element already has
// it, that is when `/widget.js` has loaded; before that it sets an attribute, and a function
// or an object (`tokenProvider`, `strings`) is dropped. So those two are not props here: set
// them from a ref, which works in either order (the element keeps properties set before it
// upgraded).
import type { DetailedHTMLProps, HTMLAttributes } from "react";
import type { NotifyBell, NotifyBellAttributes, NotifyBellEventAttributes } from "./markup.d.ts";

type NotifyBellJsx = DetailedHTMLProps<HTMLAttributes<NotifyBell>, NotifyBell> &
  NotifyBellAttributes &
  NotifyBellEventAttributes;

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      "notify-bell": NotifyBellJsx;
    }
  }
}

// The global JSX namespace, for JSX setups that still read it.
declare global {
  namespace JSX {
    interface IntrinsicElements {
      "notify-bell": NotifyBellJsx;
    }
  }
}
