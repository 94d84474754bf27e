/**
 * The runtime's floor: `Bun.serve` holding SSE streams, no database, no framework, no auth.
 * `GET /stream/<user>` opens a stream; `POST /publish` `{ users, title }` sends one event of
 * about the size notify-bell sends to each of those users' streams.
 */
const port = Number(process.env.PORT);
const streams = new Map<string, Set<ReadableStreamDefaultController<Uint8Array>>>();
const encoder = new TextEncoder();
let seq = 0;

const server = Bun.serve({
  port,
  hostname: "127.0.0.1",
  idleTimeout: 0,
  async fetch(request, server) {
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname === "/publish") {
      const { users, title } = (await request.json()) as { users: string[]; title: string };
      for (const user of users) {
        const id = ++seq;
        const data = JSON.stringify({
          id: String(id),
          title,
          body: null,
          url: null,
          category: null,
          data: null,
          createdAt: new Date().toISOString(),
          readAt: null,
          archivedAt: null,
          unreadCount: 1,
        });
        const bytes = encoder.encode(`event: notification\nid: ${id}\ndata: ${data}\n\n`);
        for (const controller of streams.get(user) ?? []) controller.enqueue(bytes);
      }
      return new Response("ok");
    }
    const user = url.pathname.startsWith("/stream/") ? url.pathname.slice(8) : "";
    if (!user) return new Response("not found", { status: 404 });
    server.timeout(request, 0);
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
        let group = streams.get(user);
        if (!group) {
          group = new Set();
          streams.set(user, group);
        }
        group.add(c);
        c.enqueue(encoder.encode("retry: 500\n\n"));
      },
      cancel() {
        streams.get(user)?.delete(controller);
      },
    });
    request.signal.addEventListener("abort", () => streams.get(user)?.delete(controller));
    return new Response(body, {
      headers: { "content-type": "text/event-stream", "cache-control": "no-store" },
    });
  },
});
console.log(`bun-raw listening ${server.port}`);
