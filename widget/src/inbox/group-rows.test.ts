import { expect } from "@esm-bundle/chai";
import type { NotifyItem } from "../types.ts";
import { actorsOf, groupRows } from "./group-rows.ts";

function item(id: number, patch: Partial<NotifyItem> = {}): NotifyItem {
  return {
    id: String(id),
    title: `n${id}`,
    body: null,
    url: null,
    category: null,
    data: null,
    createdAt: "2025-06-01T12:00:00.000Z",
    readAt: null,
    archivedAt: null,
    expiresAt: null,
    seenAt: null,
    actor: null,
    actions: null,
    actionTaken: null,
    actionTakenAt: null,
    snoozedUntil: null,
    groupKey: null,
    ...patch,
  };
}

const shape = (items: NotifyItem[]) =>
  groupRows(items).map((r) => (r.members ? r.members.map((m) => m.id) : r.item.id));

describe("groupRows", () => {
  it("makes one row of a key's unread members, placed at its newest", () => {
    const a = { groupKey: "a" };
    const items = [item(9, a), item(8), item(7, { groupKey: "b" }), item(6, a), item(5, a)];
    expect(shape(items)).to.deep.equal([["9", "6", "5"], "8", ["7"]]);
  });

  it("leaves read, archived and snoozed members out of their group", () => {
    const a = { groupKey: "a" };
    const items = [
      item(9, a),
      item(8, { ...a, readAt: "2025-06-01T12:00:00.000Z" }),
      item(7, { ...a, archivedAt: "2025-06-01T12:00:00.000Z" }),
      item(6, { ...a, snoozedUntil: "2025-06-02T12:00:00.000Z" }),
      item(5, a),
    ];
    expect(shape(items)).to.deep.equal([["9", "5"], "8", "7", "6"]);
  });

  it("lists a group's people newest first, each once", () => {
    const by = (name: string) => ({ actor: { name, avatarUrl: null } });
    const members = [item(4, by("Di")), item(3, by("Ana")), item(2), item(1, by("Di"))];
    expect(actorsOf(members).map((a) => a.name)).to.deep.equal(["Di", "Ana"]);
  });
});
