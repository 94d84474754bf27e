import type { Server } from "bun";
import type { StreamSink } from "../../realtime/subscriber.ts";

export const eventStreamHeaders = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-store",
  "x-accel-buffering": "no",
  connection: "keep-alive",
};

export interface EventStreamResponse {
  body: ReadableStream<Uint8Array>;
  sink: StreamSink;
}

/**
 * A response body that a subscriber writes into, bounded to `bufferBytes` of bytes the
 * client has not read yet.
 *
 * Bun specifics this relies on (see PITFALLS.md): the idle timeout is turned off for this
 * request (heartbeats keep proxies awake instead); a client that goes away is reported
 * through `request.signal`; and ending a body whose reader is not reading can leave the
 * socket open, so after ending it the request gets a 1 s timeout to make sure it closes.
 */
// Shared by every stream: neither holds per-stream state, and each stream costs memory.
const encoder = new TextEncoder();
let strategy: ByteLengthQueuingStrategy | undefined;

export function createEventStreamResponse(
  request: Request,
  server: Server<unknown> | null,
  bufferBytes: number,
  onClientGone: () => void,
): EventStreamResponse {
  if (strategy?.highWaterMark !== bufferBytes) {
    strategy = new ByteLengthQueuingStrategy({ highWaterMark: bufferBytes });
  }
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let ended = false;

  server?.timeout(request, 0);
  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      cancel() {
        ended = true;
        onClientGone();
      },
    },
    // desiredSize then counts unread bytes: below zero, the client is over its buffer.
    strategy,
  );
  request.signal.addEventListener("abort", () => {
    ended = true;
    onClientGone();
  });

  const sink: StreamSink = {
    write(chunk) {
      if (ended) return true;
      controller.enqueue(encoder.encode(chunk));
      return (controller.desiredSize ?? 0) >= 0;
    },
    end() {
      if (ended) return;
      ended = true;
      try {
        controller.close();
      } catch {}
      server?.timeout(request, 1);
    },
  };
  return { body, sink };
}
