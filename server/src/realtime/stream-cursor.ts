/**
 * A stream's position, and its form as an SSE id (the client's `Last-Event-ID`).
 *
 * Positions name ticks (notify.ticks): `<tick>` means "everything visible in that tick's
 * snapshot". The changes between two ticks go out in id order, possibly over several reads, so
 * an event in the middle of such a range carries `<from>.<to>.<id>`: "everything of tick
 * `from`, and the changes up to tick `to` with an id up to `id`". A client cut off mid-range
 * resumes exactly after the last event it got: nothing is lost and nothing comes twice.
 *
 * Ids stay short decimal strings with dots (no byte a CORS preflight would object to).
 */
export interface StreamCursor {
  from: number;
  to: number;
  /** Within (from, to], changes with an id up to this one were sent; 0 when none. */
  after: number;
}

export const atTick = (tick: number): StreamCursor => ({ from: tick, to: tick, after: 0 });

export const isComplete = (cursor: StreamCursor): boolean => cursor.from === cursor.to;

export function formatCursor({ from, to, after }: StreamCursor): string {
  return from === to ? String(from) : `${from}.${to}.${after}`;
}

const number = "(0|[1-9]\\d{0,14})";
const pattern = new RegExp(`^${number}(?:\\.${number}\\.${number})?$`);

/** The cursor an untrusted id names, or undefined if it is not one we could have sent. */
export function parseCursor(value: string): StreamCursor | undefined {
  const match = pattern.exec(value);
  if (!match) return undefined;
  const from = Number(match[1]);
  if (match[2] === undefined) return atTick(from);
  const cursor = { from, to: Number(match[2]), after: Number(match[3]) };
  return cursor.from < cursor.to ? cursor : undefined;
}
