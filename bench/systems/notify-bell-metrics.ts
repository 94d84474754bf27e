import { parseMetrics } from "../../test/support/metrics-text.ts";

/**
 * notify-bell's own account of a scenario, from its `/metrics`: how long the server took from
 * each NOTIFY to writing the event (the rest of a delivery is Postgres before it and the
 * network and client after it), and how many reads each change-log query answered.
 */
export async function serverAccount(port: number, metricsToken: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
    headers: { authorization: `Bearer ${metricsToken}` },
  });
  const series = parseMetrics(await response.text());
  const buckets = [...series]
    .filter(([name]) => name.startsWith("notify_delivery_seconds_bucket"))
    .map(([name, count]) => ({ le: Number(/le="([^"]+)"/.exec(name)?.[1]), count }))
    .sort((a, b) => a.le - b.le);
  const total = series.get("notify_delivery_seconds_count") ?? 0;
  const within = (share: number) => {
    const bucket = buckets.find((b) => b.count >= share * total);
    return bucket && Number.isFinite(bucket.le) ? `≤ ${bucket.le * 1000} ms` : "over 2.5 s";
  };
  const queries = series.get('notify_stream_read_batch_size_count{kind="changes"}') ?? 0;
  const reads = series.get('notify_stream_read_batch_size_sum{kind="changes"}') ?? 0;
  return (
    `server side, NOTIFY → event written (${total.toLocaleString("en")} deliveries): ` +
    `p50 ${within(0.5)}, p99 ${within(0.99)}; ` +
    `${reads.toLocaleString("en")} change reads in ${queries.toLocaleString("en")} queries ` +
    `(${queries ? (reads / queries).toFixed(1) : "–"} per query)`
  );
}
