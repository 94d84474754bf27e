/**
 * The SSE wire format, and nothing else (WHATWG HTML, "server-sent events").
 *
 * What must stay true: a field value can never end its line early. Every CR, LF or CRLF in
 * `data` starts a new `data:` line, which the browser joins back with LF; `id` and `event`
 * may not contain CR, LF or NUL at all (they would inject fields, and a browser ignores an id
 * with NUL), so they are refused rather than cleaned.
 */

export interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
}

const lineBreak = /\r\n|\r|\n/;
const unsafeField = /[\r\n\0]/;

export function encodeEvent({ id, event, data, retry }: SseEvent): string {
  let out = "";
  if (event !== undefined) out += `event: ${field("event", event)}\n`;
  if (data !== undefined) {
    for (const line of data.split(lineBreak)) out += `data: ${line}\n`;
  }
  if (id !== undefined) out += `id: ${field("id", id)}\n`;
  if (retry !== undefined) {
    if (!Number.isInteger(retry) || retry < 0) throw new RangeError(`retry must be a whole number`);
    out += `retry: ${retry}\n`;
  }
  return `${out}\n`;
}

/** A comment line: ignored by clients, keeps proxies and idle timers from closing the stream. */
export function encodeComment(text: string): string {
  return `: ${text.split(lineBreak).join(" ")}\n\n`;
}

function field(name: string, value: string): string {
  if (unsafeField.test(value)) throw new RangeError(`SSE ${name} may not contain CR, LF or NUL`);
  return value;
}
