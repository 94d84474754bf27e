import { connect } from "node:net";

export interface RawRequest {
  method: string;
  /** Sent as is: may hold any bytes a client can put in a request target. */
  target: string;
  /** Name and value pairs, sent as latin1 bytes, unchecked (fetch would refuse many). */
  headers?: [string, string][];
  body?: Uint8Array | string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as far as it was read (an event stream is left after its first bytes). */
  body: string;
}

/**
 * One HTTP/1.1 request over a fresh socket, as a hostile client would send it, with a hard
 * deadline: no answer by then rejects with "timed out" (the server hung). `Connection: close`
 * ends ordinary responses; an event stream is read until its first event or comment, then
 * dropped.
 */
export function rawRequest(baseUrl: string, request: RawRequest, timeoutMs = 5_000) {
  const { hostname, port } = new URL(baseUrl);
  const body = typeof request.body === "string" ? Buffer.from(request.body, "utf8") : request.body;
  let head = `${request.method} ${request.target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n`;
  for (const [name, value] of request.headers ?? []) head += `${name}: ${value}\r\n`;
  if (body !== undefined) head += `Content-Length: ${body.length}\r\n`;
  head += "\r\n";

  return new Promise<RawResponse>((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) return reject(error);
      const response = parse(Buffer.concat(chunks));
      if (response) resolve(response);
      else
        reject(
          new Error(
            `no HTTP response: ${JSON.stringify(Buffer.concat(chunks).toString("latin1"))}`,
          ),
        );
    };
    const timer = setTimeout(
      () =>
        finish(new Error(`timed out after ${timeoutMs} ms: ${request.method} ${request.target}`)),
      timeoutMs,
    );
    socket.on("error", (error) => finish(error));
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      const response = parse(Buffer.concat(chunks));
      // An event stream never ends by itself: its first complete event or comment is enough.
      if (
        response?.headers["content-type"]?.startsWith("text/event-stream") &&
        response.body.includes("\n\n")
      )
        finish();
    });
    socket.on("end", () => finish());
    socket.write(head, "latin1");
    if (body !== undefined) socket.write(body);
  });
}

function parse(bytes: Buffer): RawResponse | undefined {
  const end = bytes.indexOf("\r\n\r\n");
  if (end === -1) return undefined;
  const [statusLine = "", ...lines] = bytes.subarray(0, end).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  if (!status) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = bytes.subarray(end + 4);
  if (headers["transfer-encoding"] === "chunked") body = dechunk(body);
  return { status, headers, body: body.toString("utf8") };
}

/** Decodes as much of a chunked body as has arrived. */
function dechunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf("\r\n", at);
    if (lineEnd === -1) break;
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString("latin1"), 16);
    if (!size) break;
    parts.push(bytes.subarray(lineEnd + 2, Math.min(lineEnd + 2 + size, bytes.length)));
    at = lineEnd + 2 + size + 2;
    if (at > bytes.length) break;
  }
  return Buffer.concat(parts);
}
