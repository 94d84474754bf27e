/**
 * The styles only the panel's inside needs (header, filters, notice, list, rows), shipped with
 * the lazily loaded module (../inbox-panel.ts) and adopted into the bell's shadow root after
 * notify-bell.styles.ts, whose tokens (`--_*`) and shared pieces (buttons, item text, avatar,
 * action buttons: toasts use them too) they build on.
 */
import { css } from "lit";

export const panelStyles = css`
  .header {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 12px 14px 8px;
  }
  .header h2 {
    flex: 1;
    margin: 0;
    font-size: 1.1em;
    font-weight: 700;
  }
  .filters {
    display: flex;
    gap: 4px;
    padding: 0 14px 8px;
    border-bottom: 1px solid var(--_border);
  }
  .filters button {
    padding: 4px 10px;
    border-radius: 999px;
    color: var(--_muted);
  }
  .filters button[aria-pressed="true"],
  .tabs button[aria-pressed="true"] {
    background: var(--_accent);
    color: var(--_accent-text);
  }
  /* Category tabs: a line of their own, scrolling sideways when there are many. */
  .tabs {
    display: flex;
    gap: 4px;
    padding: 0 14px 8px;
    overflow-x: auto;
  }
  .tabs button {
    flex: none;
    padding: 4px 10px;
    border-radius: 999px;
    color: var(--_muted);
  }
  .tabs .count {
    font-weight: 700;
  }
  .preferences {
    padding: 0 14px;
  }
  .preferences fieldset {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
    margin: 0;
    padding: 8px 0;
    border: 0;
    border-bottom: 1px solid var(--_border);
  }
  .preferences legend {
    float: left;
    width: 100%;
    padding: 0;
    font-weight: 600;
  }
  .preferences label {
    display: inline-flex;
    gap: 6px;
    align-items: center;
  }
  .notice {
    margin: 0;
    padding: 8px 14px;
    background: var(--_hover);
    color: var(--_text);
    font-size: 0.9em;
  }
  .scroll {
    flex: 1;
    overflow-y: auto;
    overscroll-behavior: contain;
  }
  .list {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .item {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    gap: 4px;
    padding: 10px 10px 10px 0;
    border-bottom: 1px solid var(--_border);
  }
  .item.unread {
    background: var(--_unread-bg);
  }
  .actions {
    display: flex;
    gap: 2px;
  }
  /* The snooze menu's choices, a line of their own under the row's text, as its buttons. */
  .snooze {
    display: flex;
    flex-wrap: wrap;
    flex-basis: 100%;
    gap: 8px;
    padding-left: 22px;
  }
  /* A group row: its people's avatars overlap in the avatar's column; its members, and the
     button that shows them, are lines of their own under its text. */
  .avatars {
    grid-area: 1 / 2 / span 3;
    display: flex;
    margin-right: 8px;
  }
  .avatars:empty {
    display: none;
  }
  .avatars .avatar {
    margin-right: 0;
    outline: 2px solid var(--_bg);
  }
  .avatars .avatar + .avatar {
    margin-left: -14px;
  }
  /* Its own line (a flex item as wide as the row wraps), not beside the row's buttons, where
     it squeezed the text column to a few words per line. */
  .members-toggle {
    flex-basis: calc(100% - 22px);
    margin-left: 22px;
    text-align: start;
  }
  .members {
    flex-basis: 100%;
    margin: 0;
    padding: 0 0 0 22px;
    list-style: none;
  }
  .members .item {
    padding-right: 0;
  }
  .members .item:last-child {
    border-bottom: 0;
  }
  /* Fingers need 44px (WCAG 2.5.5), whatever the look on a desktop. */
  @media (pointer: coarse) {
    .filters button,
    .tabs button {
      min-width: 44px;
      min-height: 44px;
    }
  }
  /* Forced colours drop backgrounds: every state shown only by one gets a system colour. */
  @media (forced-colors: active) {
    .filters button[aria-pressed="true"],
    .tabs button[aria-pressed="true"] {
      forced-color-adjust: none;
      background: Highlight;
      color: HighlightText;
    }
    .item.unread {
      border-inline-start: 4px solid Highlight;
    }
  }
`;
