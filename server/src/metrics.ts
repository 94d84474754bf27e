import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { StreamMetrics } from "./realtime/stream-metrics.ts";

/**
 * Prometheus series, served at `/metrics`. Names and labels are part of the operations
 * contract (docs/operations.md, "Metrics").
 */
export function createMetrics({ tenantLabels = false } = {}) {
  const registry = new Registry();
  // Tenant ids only when asked for (NOTIFY_METRICS_TENANT_LABELS=1): whoever scrapes the
  // metrics would otherwise learn every tenant that uses the server.
  const openStreams = new Gauge({
    name: "notify_open_streams",
    help: tenantLabels ? "Open event streams, per tenant" : "Open event streams",
    labelNames: tenantLabels ? ["tenant"] : [],
    registers: [registry],
  });
  const streamLabels = (tenant: string) => (tenantLabels ? { tenant } : {});
  const closedStreams = new Counter({
    name: "notify_streams_closed_total",
    help: "Streams ended, by reason (client_gone when the client left)",
    labelNames: ["reason"],
    registers: [registry],
  });
  const delivered = new Counter({
    name: "notify_events_delivered_total",
    help: "notification and update events written to streams",
    registers: [registry],
  });
  const replayed = new Counter({
    name: "notify_events_replayed_total",
    help: "Events written while catching a resumed stream up (part of delivered)",
    registers: [registry],
  });
  const resets = new Counter({
    name: "notify_stream_resets_total",
    help: "reset events sent, by reason",
    labelNames: ["reason"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "notify_delivery_seconds",
    help: "From the NOTIFY announcing a commit to the write of its event to the stream",
    buckets: [
      0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
      0.5, 1, 2.5,
    ],
    registers: [registry],
  });
  const readBatches = new Histogram({
    name: "notify_stream_read_batch_size",
    help: "Reads answered per change-log query (streams woken together share one query), by kind",
    labelNames: ["kind"],
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500],
    registers: [registry],
  });

  const streams: StreamMetrics = {
    streamOpened: (tenant) => openStreams.inc(streamLabels(tenant)),
    streamClosed: (tenant, reason) => {
      openStreams.dec(streamLabels(tenant));
      closedStreams.inc({ reason: reason ?? "client_gone" });
    },
    delivered: (count, replayedCount) => {
      delivered.inc(count);
      if (replayedCount > 0) replayed.inc(replayedCount);
    },
    reset: (reason) => resets.inc({ reason }),
    deliveryLatency: (seconds) => latency.observe(seconds),
    readBatch: (kind, requests) => readBatches.observe({ kind }, requests),
  };
  return { registry, streams };
}

export type Metrics = ReturnType<typeof createMetrics>;
