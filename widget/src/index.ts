/** The bundle's entry (`/widget.js`): the side-effect-free entry, and `<notify-bell>` defined. */
import "./define.ts";

export * from "./element.ts";
