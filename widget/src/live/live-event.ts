/**
 * Turns raw stream messages into the events the widget acts on, and orders event ids.
 * Data comes from the network: anything that does not look like the documented shape is
 * dropped rather than half-applied.
 */

import type { LiveEvent, NotifyEventData } from "../types.ts";
import type { SseMessage } from "./sse-parser.ts";

export function parseLiveEvent(message: SseMessage): LiveEvent | null {
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return null;
  }
  if (typeof data !== "object" || data === null) return null;
  const record = data as Record<string, unknown>;
  const { unreadCount, unseenCount } = record;
  const counted = typeof unreadCount === "number" && typeof unseenCount === "number";
  const categoryCounts = Array.isArray(record.categoryCounts) ? record.categoryCounts : [];
  if (message.event === "reset") {
    return {
      type: "reset",
      id: message.id,
      unreadCount: counted ? unreadCount : null,
      unseenCount: counted ? unseenCount : null,
    };
  }
  if (!counted) return null;
  if (message.event === "preferences") {
    if (!Array.isArray(record.preferences)) return null;
    const { preferences } = record;
    return {
      type: "preferences",
      id: message.id,
      preferences,
      unreadCount,
      unseenCount,
      categoryCounts,
    };
  }
  if (typeof record.id !== "string") return null;
  if (message.event === "delete") {
    return {
      type: "delete",
      id: message.id,
      itemId: record.id,
      unreadCount,
      unseenCount,
      categoryCounts,
    };
  }
  if (message.event !== "notification" && message.event !== "update") return null;
  if (typeof record.title !== "string") return null;
  return { type: message.event, id: message.id, item: data as NotifyEventData };
}

/**
 * True when decimal id `a` comes after `b`. Ids are digit strings that may exceed 2^53, so
 * they are compared by length, then lexically. A missing or non-numeric `b` never blocks.
 */
export function isAfter(a: string, b: string | null | undefined): boolean {
  if (!b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return true;
  const x = a.replace(/^0+(?=\d)/, "");
  const y = b.replace(/^0+(?=\d)/, "");
  return x.length !== y.length ? x.length > y.length : x > y;
}
