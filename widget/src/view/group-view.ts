/**
 * A group row (docs/design/grouping.md): a key's unread members as one row. Its face is the
 * newest member (title, link, time), with up to three of its people's avatars and a line
 * naming them; its buttons mark read or archive the whole group; a disclosure button shows
 * its members as rows of their own. In the lazily loaded module (../inbox-panel.ts).
 *
 * Must stay true: text is bound as text; the disclosure is a button with `aria-expanded`
 * whose `aria-controls` names the members' list only while it is shown.
 */
import { html, nothing, type TemplateResult } from "lit";
import { actorsOf } from "../inbox/group-rows.ts";
import type { NotifyItem } from "../types.ts";
import { archiveIcon, checkIcon } from "./icons.ts";
import { avatar, itemMain, type RowActions, type RowContext, renderRow } from "./item-view.ts";

export interface GroupActions extends RowActions {
  /** Marks the group read (or archives it) as one, up to its newest member. */
  group(members: NotifyItem[], archive?: boolean): void;
  /** Shows or hides a group's members. */
  expand(key: string): void;
}

export function renderGroupRow(
  members: NotifyItem[],
  ctx: RowContext & { expanded: boolean; snoozingId: string | null },
  actions: GroupActions,
  active: boolean,
): TemplateResult {
  const [face] = members as [NotifyItem];
  const t = ctx.strings;
  const tabindex = active ? 0 : -1;
  const people = actorsOf(members);
  const shown = people.slice(0, 2).map((a) => a.name);
  const line = shown.length ? t.groupActors(shown, people.length - shown.length) : null;
  const name = `${t.groupCount(members.length)}: ${face.title}`;
  const list = `group-${face.id}`;
  return html`<li class="item unread group" part="item group" data-id=${face.id}
    data-ids=${members.map((m) => m.id).join(",")}
    ?data-unseen=${members.some((m) => !m.seenAt)}>
    ${itemMain(
      face,
      ctx,
      tabindex,
      html`<span class="avatars">${people.slice(0, 3).map((actor) => avatar({ actor }))}</span>`,
      line,
    )}
    <span class="actions" part="item-actions">
      <button class="icon-button" type="button" tabindex=${tabindex}
        aria-label="${t.markRead}: ${name}" title=${t.markRead}
        @click=${() => actions.group(members)}>${checkIcon}</button>
      <button class="icon-button" type="button" tabindex=${tabindex}
        aria-label="${t.archive}: ${name}" title=${t.archive}
        @click=${() => actions.group(members, true)}>${archiveIcon}</button>
    </span>
    <button class="text-button members-toggle" part="group-toggle" type="button"
      tabindex=${tabindex} aria-expanded=${ctx.expanded ? "true" : "false"}
      aria-controls=${ctx.expanded ? list : nothing}
      @click=${() => actions.expand(face.groupKey ?? "")}>${t.groupMembers(members.length)}</button>
    ${
      ctx.expanded
        ? html`<ul class="members" part="group-members" id=${list}>
            ${members.map((m) =>
              renderRow(m, { ...ctx, snoozing: ctx.snoozingId === m.id }, actions, active),
            )}
          </ul>`
        : nothing
    }
  </li>`;
}
