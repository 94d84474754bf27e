/**
 * The inbox panel's inside (header, filters, notice, list, rows, the snooze menu, their
 * styles and behaviour): the second module of the widget, loaded by `import()` the first time
 * a bell is hovered, focused or opened (view/panel-loader.ts). Most page views never open the
 * inbox, so `/widget.js`, which every page loads, holds only the bell, the live connection,
 * the count, toasts and the panel's shell. What must stay true: this module is
 * self-contained in the build (its own copy of what it uses, no import of `/widget.js`), so
 * it works from whatever URL the entry was loaded (`/widget.js`, `/widget/<hash>.js`, another
 * origin). docs/design/widget-chunks.md.
 */
export { attachPanel, type PanelController, type PanelHost } from "./view/panel-controller.ts";
