/**
 * The panel's rows from the store's items (newest first): the unread members of one
 * `groupKey` become one row (docs/design/grouping.md). Pure, so every rule is unit-tested.
 *
 * Must stay true: membership is the server's (a key, unread, not archived, not snoozed), so
 * the row and the count agree; a read member is a row of its own; a group's place is its
 * newest member's, as in `GET /v1/notifications?group=true`.
 */
import type { NotifyItem } from "../types.ts";

/** One notification, or a group: `members` newest first, the first being the row's face. */
export interface Row {
  item: NotifyItem;
  members?: NotifyItem[];
}

export function groupRows(items: readonly NotifyItem[]): Row[] {
  const rows: Row[] = [];
  const groups = new Map<string, NotifyItem[]>();
  for (const item of items) {
    const key = item.readAt || item.archivedAt || item.snoozedUntil ? null : item.groupKey;
    const members = key ? groups.get(key) : undefined;
    if (members) members.push(item);
    else {
      const row: Row = key ? { item, members: [item] } : { item };
      if (key && row.members) groups.set(key, row.members);
      rows.push(row);
    }
  }
  return rows;
}

/** A group's people, newest first, each once. */
export function actorsOf(members: readonly NotifyItem[]): NonNullable<NotifyItem["actor"]>[] {
  const seen = new Map<string, NonNullable<NotifyItem["actor"]>>();
  for (const { actor } of members) if (actor && !seen.has(actor.name)) seen.set(actor.name, actor);
  return [...seen.values()];
}
