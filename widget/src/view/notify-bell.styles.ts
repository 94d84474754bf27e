/**
 * Everything lives in the shadow root. Fonts and colours are set on `.root` with
 * `all: initial` first, not inherited from the host element: a page rule such as
 * `* { font: 40px serif !important }` matches the host and would otherwise flow in through
 * inheritance.
 *
 * Theming: what must stay true is that no `--notify-*` is ever declared here. Each one is
 * read once, on `.root`, into a private `--_*` token with the default as its `var()`
 * fallback, so a `--notify-*` set on the element or on any ancestor (`:root` included) wins.
 * Light and dark defaults are one `light-dark()` each, resolved by `.root`'s `color-scheme`:
 * the system's for `theme="auto"` on a page that declares none, the page's own when it does
 * (set from script), or the `theme` attribute's.
 */
import { css } from "lit";

export const styles = css`
  :host {
    display: inline-block;
    position: relative;
    vertical-align: middle;
  }
  :host([hidden]) {
    display: none;
  }

  .root {
    all: initial;
    color-scheme: light dark;
    --_font: var(
      --notify-font,
      system-ui,
      -apple-system,
      "Segoe UI",
      Roboto,
      "Noto Sans KR",
      sans-serif
    );
    --_font-size: var(--notify-font-size, 14px);
    --_accent: var(--notify-accent, light-dark(#2563eb, #60a5fa));
    --_accent-text: var(--notify-accent-text, light-dark(#fff, #111827));
    --_badge: var(--notify-badge, #dc2626);
    --_badge-text: var(--notify-badge-text, #fff);
    --_bg: var(--notify-bg, light-dark(#fff, #1f2937));
    --_text: var(--notify-text, light-dark(#111827, #f9fafb));
    --_muted: var(--notify-muted, light-dark(#4b5563, #d1d5db));
    --_border: var(--notify-border, light-dark(#e5e7eb, #374151));
    --_hover: var(--notify-hover, light-dark(#f3f4f6, #374151));
    --_unread-bg: var(--notify-unread-bg, light-dark(#eff6ff, #1e3a5f));
    --_focus: var(--notify-focus, light-dark(#2563eb, #93c5fd));
    --_radius: var(--notify-radius, 10px);
    --_shadow: var(--notify-shadow, 0 10px 30px light-dark(rgb(0 0 0 / 0.15), rgb(0 0 0 / 0.5)));
    --_panel-width: var(--notify-panel-width, 380px);
    --_panel-height: var(--notify-panel-height, 480px);
    --_bell-size: var(--notify-bell-size, 40px);
    display: block;
    position: relative;
    font-family: var(--_font);
    font-size: var(--_font-size);
    font-weight: 400;
    font-style: normal;
    line-height: 1.4;
    color: var(--_text);
    text-align: start;
    white-space: normal;
    letter-spacing: normal;
    word-spacing: normal;
    text-transform: none;
    cursor: auto;
    visibility: visible;
  }
  :host([theme="light"]) .root {
    color-scheme: light;
  }
  :host([theme="dark"]) .root {
    color-scheme: dark;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  button,
  a {
    font: inherit;
    color: inherit;
    letter-spacing: inherit;
    text-transform: inherit;
  }
  button {
    margin: 0;
    border: 0;
    background: none;
    padding: 0;
    cursor: pointer;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  [hidden] {
    display: none !important;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  .bell {
    anchor-name: --notify-bell;
    position: relative;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    width: var(--_bell-size);
    height: var(--_bell-size);
    border-radius: 50%;
    color: var(--_text);
  }
  .bell:hover {
    background: var(--_hover);
  }
  .bell svg {
    width: 60%;
    height: 60%;
  }
  .badge {
    position: absolute;
    top: 0;
    inset-inline-end: 0;
    min-width: 18px;
    height: 18px;
    padding: 0 5px;
    border-radius: 9px;
    background: var(--_badge);
    color: var(--_badge-text);
    font-size: 11px;
    font-weight: 700;
    line-height: 18px;
    text-align: center;
  }

  /*
   * The panel and the toast stack are popovers in the top layer: no ancestor's stacking
   * context, overflow, transform or filter reaches them. The UA's popover box (centred,
   * bordered, padded) is undone first. The panel sits against the bell with anchor
   * positioning: the preferred area, then flipped; it shrinks to the room it has and flips
   * when that is under 200px. Browsers without it get the same from placement.ts.
   */
  .panel {
    position: fixed;
    inset: auto;
    margin: 6px 0;
    padding: 0;
    color: inherit;
    position-anchor: --notify-bell;
    position-area: block-end span-inline-start;
    position-try-fallbacks:
      flip-block,
      flip-inline,
      flip-block flip-inline;
    flex-direction: column;
    width: min(var(--_panel-width), calc(100vw - 16px));
    min-height: min(200px, calc(100dvh - 12px));
    max-height: min(var(--_panel-height), calc(100% - 12px));
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    box-shadow: var(--_shadow);
    overflow: hidden;
  }
  .panel:popover-open {
    display: flex;
  }
  /* The panel holds focus only while its list loads; rows and buttons show their own ring. */
  .panel:focus-visible {
    outline: none;
  }
  .panel[data-placement="bottom-start"] {
    position-area: block-end span-inline-end;
  }
  .panel[data-placement="top-end"] {
    position-area: block-start span-inline-start;
  }
  .panel[data-placement="top-start"] {
    position-area: block-start span-inline-end;
  }
  /* placement.ts puts the gap to the bell in top and left itself. */
  .panel[data-measured] {
    position-area: none;
    position-try-fallbacks: none;
    margin: 0;
    max-height: min(var(--_panel-height), calc(100dvh - 12px));
  }
  /* On a phone the panel is a sheet along the bottom, whatever the bell's place. */
  @media (max-width: 479.98px) {
    .panel,
    .panel[data-placement],
    .panel[data-measured] {
      position-area: none;
      position-try-fallbacks: none;
      inset: auto 0 0 0 !important;
      width: auto;
      min-height: 0;
      max-height: 85dvh;
      margin: 0;
      border-width: 1px 0 0;
      border-radius: var(--_radius) var(--_radius) 0 0;
    }
  }
  .text-button {
    padding: 4px 8px;
    border-radius: 6px;
    color: var(--_accent);
    font-size: 0.9em;
  }
  .text-button:hover,
  .icon-button:hover {
    background: var(--_hover);
  }
  .icon-button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    width: 28px;
    height: 28px;
    border-radius: 6px;
    color: var(--_muted);
  }
  .icon-button svg {
    width: 16px;
    height: 16px;
  }
  .act {
    padding: 4px 10px;
    border-radius: 999px;
    color: var(--_muted);
    border: 1px solid var(--_border);
    text-decoration: none;
  }
  .buttons {
    display: flex;
    flex-basis: 100%;
    gap: 8px;
    padding-left: 22px;
  }
  .act:disabled {
    cursor: default;
    opacity: 0.7;
  }
  .act.primary {
    background: var(--_accent);
    color: var(--_accent-text);
  }
  .item-main {
    display: grid;
    /* The dot, the avatar (none: 0 wide), the text. */
    grid-template-columns: 18px auto 1fr;
    flex: 1;
    min-width: 0;
    padding: 0 0 0 4px;
    border-radius: 6px;
    text-align: start;
    text-decoration: none;
  }
  .dot {
    width: 8px;
    height: 8px;
    margin: 6px 0 0 4px;
    border-radius: 50%;
    background: var(--_accent);
  }
  .title,
  .body,
  .time {
    grid-column: 3;
    overflow-wrap: anywhere;
  }
  .title {
    font-weight: 600;
  }
  .body {
    color: var(--_muted);
    white-space: pre-line;
  }
  .time {
    color: var(--_muted);
    font-size: 0.85em;
  }
  .avatar {
    grid-area: 1 / 2 / span 3;
    margin-right: 8px;
    position: relative;
    display: grid;
    place-items: center;
    width: 32px;
    height: 32px;
    overflow: hidden;
    border-radius: 50%;
    background: var(--_border);
    font-size: 0.8em;
  }
  .avatar img {
    position: absolute;
    inset: 0;
    object-fit: cover;
  }
  .state {
    padding: 32px 16px;
    color: var(--_muted);
    text-align: center;
  }
  .state button {
    margin-top: 8px;
  }

  .toasts {
    position: fixed;
    inset: auto;
    margin: 0;
    padding: 0;
    border: 0;
    background: none;
    color: inherit;
    flex-direction: column;
    gap: 8px;
    width: min(360px, calc(100vw - 32px));
    max-height: calc(100dvh - 32px);
    overflow: hidden;
    pointer-events: none;
  }
  .toasts:popover-open {
    display: flex;
  }
  .toasts[data-position^="top"] {
    top: 16px;
    /* The newest toast sits at the edge; when the stack is too tall the oldest give way. */
    flex-direction: column-reverse;
    justify-content: flex-end;
  }
  .toasts[data-position^="bottom"] {
    bottom: 16px;
    justify-content: flex-end;
  }
  .toasts[data-position$="right"] {
    right: 16px;
  }
  .toasts[data-position$="left"] {
    left: 16px;
  }
  .toasts[data-position$="center"] {
    left: 50%;
    transform: translateX(-50%);
  }
  .toast {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    gap: 4px;
    padding: 12px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    box-shadow: var(--_shadow);
    pointer-events: auto;
    animation: notify-in 180ms ease-out;
  }
  /* aria-disabled, not disabled: a disabled button drops the focus it has to <body>. */
  button[aria-disabled="true"] {
    opacity: 0.45;
    cursor: default;
    background: none !important;
  }
  /* Fingers need 44px (WCAG 2.5.5), whatever the look on a desktop. */
  @media (pointer: coarse) {
    .bell,
    .icon-button,
    .text-button {
      min-width: 44px;
      min-height: 44px;
    }
  }
  /* Forced colours drop backgrounds: every state shown only by one gets a system colour. */
  @media (forced-colors: active) {
    .badge,
    .dot {
      forced-color-adjust: none;
      background: Highlight;
      color: HighlightText;
    }
    button[aria-disabled="true"] {
      color: GrayText;
      opacity: 1;
    }
  }
  .toast .item-main {
    cursor: pointer;
  }
  /* A toast is a glance: long text is clamped here and read in full in the panel. */
  .toast .title,
  .toast .body {
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    overflow: hidden;
  }
  .toast .body {
    -webkit-line-clamp: 3;
  }
  @keyframes notify-in {
    from {
      opacity: 0;
      transform: translateY(8px);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .toast {
      animation: none;
    }
    * {
      transition: none !important;
    }
  }
`;
