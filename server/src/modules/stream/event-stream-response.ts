import type { Server } from "bun";
import type { StreamSink } from "../../realtime/subscriber.ts";

export const eventStreamHeaders = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-store",
  "x-accel-buffering": "no",
  connection: "keep-alive",
};

/** What is told when the client goes away. */
export interface StreamOwner {
  close(): void;
}

// Shared by every stream: each open stream costs memory, so nothing per stream that need not be.
const encoder = new TextEncoder();
/**
 * Counts queued bytes against a high-water mark of 0, so `desiredSize` is minus the bytes the
 * client has not read yet. The mark is not the buffer size: Bun sizes each response's native
 * write buffer by it, and 256 KiB per stream kept about 5 KB of every idle stream resident
 * (and 256 KiB committed).
 */
const unreadBytes = new ByteLengthQueuingStrategy({ highWaterMark: 0 });

/**
 * A response body that a subscriber writes into, bounded to `bufferBytes` of bytes the client
 * has not read yet.
 *
 * One object per stream is the body's source, the request's abort listener and the sink, so
 * an idle stream holds no closures. Bun specifics this relies on (see PITFALLS.md): the idle
 * timeout is turned off for this request (heartbeats keep proxies awake instead); a client
 * that goes away is reported through `request.signal` (and `cancel`, whichever comes first);
 * and ending a body whose reader is not reading can leave the socket open, so after ending it
 * the request gets a 1 s timeout to make sure it closes.
 */
export class EventStream implements StreamSink, UnderlyingDefaultSource<Uint8Array> {
  readonly body: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private owner: StreamOwner | undefined;
  private ended = false;
  private clientGone = false;

  constructor(
    private readonly request: Request,
    private readonly server: Server<unknown> | null,
    private readonly bufferBytes: number,
  ) {
    server?.timeout(request, 0);
    this.body = new ReadableStream<Uint8Array>(this, unreadBytes); // calls start()
    // An object listener (`handleEvent`) rather than a closure.
    request.signal.addEventListener("abort", this);
    this.clientGone = request.signal.aborted;
  }

  /** Whom to tell when the client goes away; told at once if it already has. */
  setOwner(owner: StreamOwner): void {
    this.owner = owner;
    if (this.clientGone) owner.close();
  }

  write(chunk: string): boolean {
    if (this.ended) return true;
    this.controller.enqueue(encoder.encode(chunk));
    return -(this.controller.desiredSize ?? 0) <= this.bufferBytes;
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    try {
      this.controller.close();
    } catch {}
    this.server?.timeout(this.request, 1);
  }

  /** The body's `start`. */
  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.controller = controller;
  }

  /** The body's `cancel`: the client stopped reading for good. */
  cancel(): void {
    this.gone();
  }

  /** The request's `abort`. */
  handleEvent(): void {
    this.gone();
  }

  private gone(): void {
    this.ended = true;
    this.clientGone = true;
    this.owner?.close();
  }
}
