import type { CloseReason } from "./close-reasons.ts";

/**
 * What the realtime core reports about its streams. The core only calls this interface;
 * `metrics.ts` turns it into Prometheus series.
 */
export interface StreamMetrics {
  streamOpened(tenantId: string): void;
  /** `reason` undefined: the client went away. */
  streamClosed(tenantId: string, reason: CloseReason | undefined): void;
  /** Events written to streams: `replayed` ones were committed before the stream opened. */
  delivered(count: number, replayed: number): void;
  reset(reason: "unknown_cursor" | "cursor_too_old"): void;
  /** Seconds from the NOTIFY that announced a change to the write of its event. */
  deliveryLatency(seconds: number): void;
  /** One query of the change log answered `requests` distinct reads (heads or changes). */
  readBatch(kind: "head" | "changes", requests: number): void;
}

export const noMetrics: StreamMetrics = {
  streamOpened() {},
  streamClosed() {},
  delivered() {},
  reset() {},
  deliveryLatency() {},
  readBatch() {},
};
