/**
 * A child process that holds many event streams open at once, so the test process itself
 * stays under the machine's 20,000 open files per process. Run with Bun:
 *
 *   bun stream-opener.ts <baseUrl> <count> <concurrency>   (tokens: JSON array in $TOKENS)
 *
 * Opens `count` streams with raw sockets, each counted once its opening lines have arrived,
 * and prints `{"opened":N,"failed":N}` on stdout. On the line `abort` on stdin it drops every
 * socket at once (as clients vanishing would), prints `{"aborted":N}` and exits.
 */
import { connect, type Socket } from "node:net";

const [baseUrl = "", countArg = "0", concurrencyArg = "200"] = process.argv.slice(2);
const tokens = JSON.parse(process.env.TOKENS ?? "[]") as string[];
const { hostname, port } = new URL(baseUrl);
const count = Number(countArg);
const sockets: Socket[] = [];
let opened = 0;
let failed = 0;

function open(index: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    sockets.push(socket);
    let received = "";
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      if (ok) opened++;
      else failed++;
      resolve();
    };
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      if (done) return;
      received += chunk;
      // Headers, then the opening event (`retry` and `id`): the stream is registered.
      const body = received.indexOf("\r\n\r\n");
      if (body !== -1 && /\nid: \d+\n/.test(received.slice(body))) finish(true);
    });
    socket.on("error", () => finish(false));
    socket.on("close", () => finish(false));
    const token = tokens[index % tokens.length];
    socket.write(
      `GET /v1/stream HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAccept: text/event-stream\r\nAuthorization: Bearer ${token}\r\n\r\n`,
    );
  });
}

let next = 0;
await Promise.all(
  Array.from({ length: Number(concurrencyArg) }, async () => {
    while (next < count) await open(next++);
  }),
);
console.log(JSON.stringify({ opened, failed }));

process.stdin.setEncoding("utf8");
process.stdin.on("data", (line: string) => {
  if (!line.includes("abort")) return;
  for (const socket of sockets) socket.destroy();
  console.log(JSON.stringify({ aborted: sockets.length }));
  process.exit(0);
});
