import { sleep } from "../lib/clock.ts";
import { serveRequests } from "./serve-requests.ts";
import { SseConnection, type StreamTarget } from "./sse-connection.ts";

/**
 * A load-generator process holding many event streams (this machine allows 20,000 open files
 * per process, so 10,000 streams take more than one). Requests:
 * - `open`: connects every target, at most `concurrency` handshakes at a time; answers once
 *   each stream has started (first body bytes) or failed. With `reconnect`, a stream that
 *   ends reconnects after a random delay with its Last-Event-ID, as a browser would.
 * - `take`: every delivery since the last `take` (marker and arrival time, per stream).
 * - `count`: streams open now.
 * - `close`: ends every stream.
 */

const STALL_MS = 5_000;

interface OpenRequest {
  targets: StreamTarget[];
  concurrency: number;
  reconnect?: { minMs: number; maxMs: number; attempts: number };
}

let connections: SseConnection[] = [];
let closing = false;
let reconnects = 0;
/** Counts `open`s and `close`s: a reconnect timer from an earlier pool's streams sees it move. */
let epoch = 0;

async function open({ targets, concurrency, reconnect }: OpenRequest) {
  closing = false;
  const mine = ++epoch;
  const created = targets.map((target) => new SseConnection(target));
  connections.push(...created);
  let failed = 0;
  const errors = new Set<string>();
  let next = 0;
  const startMs = performance.now();
  // A system that stops answering would otherwise hold the scenario for every remaining
  // handshake's timeout: past this many failures the rest count as failed, unattempted.
  const giveUpAfter = Math.max(100, Math.ceil(created.length / 20));
  // A system that has stopped answering altogether (no handshake finishing either way for
  // STALL_MS while some are in flight) is given up on at once, not after the handshake
  // timeout of every lane.
  const inFlight = new Set<SseConnection>();
  let progressAt = performance.now();
  let stalled = false;
  const stallCheck = setInterval(() => {
    if (stalled || inFlight.size === 0 || performance.now() - progressAt < STALL_MS) return;
    stalled = true;
    errors.add(`stopped answering (no handshake finished for ${STALL_MS / 1000} s)`);
    for (const connection of inFlight) connection.close();
  }, 250);
  const lane = async () => {
    while (next < created.length) {
      if (failed >= giveUpAfter || stalled) {
        failed += created.length - next;
        if (!stalled) errors.add(`gave up after ${giveUpAfter} failures`);
        next = created.length;
        break;
      }
      const connection = created[next++] as SseConnection;
      inFlight.add(connection);
      const ok = await new Promise<boolean>((resolve) => {
        connection.open(
          (ready, why) => {
            if (!ready && why && !stalled) errors.add(why);
            resolve(ready);
          },
          () => onEnd(connection),
        );
      });
      inFlight.delete(connection);
      progressAt = performance.now();
      if (!ok) failed++;
    }
  };
  const over = () => closing || epoch !== mine;
  const onEnd = (connection: SseConnection) => {
    if (!reconnect || over() || stalled) return;
    let attempts = 0;
    const retry = () => {
      if (over() || attempts++ >= reconnect.attempts) return;
      const delay = reconnect.minMs + Math.random() * (reconnect.maxMs - reconnect.minMs);
      setTimeout(() => {
        if (over()) return;
        reconnects++;
        connection.open((ready) => {
          if (ready) attempts = 0;
        }, retry);
      }, delay);
    };
    retry();
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, created.length) }, lane));
  clearInterval(stallCheck);
  const ready = created.filter((c) => c.readyAtNs > 0).map((c) => c.readyAtNs);
  return {
    opened: ready.length,
    failed,
    errors: [...errors].slice(0, 5),
    firstReadyNs: ready.length ? Math.min(...ready) : 0,
    lastReadyNs: ready.length ? Math.max(...ready) : 0,
    elapsedMs: performance.now() - startMs,
  };
}

function take() {
  return {
    reconnects,
    streams: connections.map((c) => ({
      user: c.target.user,
      open: !c.ended,
      deliveries: c.deliveries.splice(0),
    })),
  };
}

async function close() {
  closing = true;
  epoch++;
  for (const connection of connections) connection.close();
  const deadline = Date.now() + 5_000;
  while (connections.some((c) => !c.ended) && Date.now() < deadline) await sleep(20);
  connections = [];
  reconnects = 0;
  return {};
}

serveRequests(async (message) => {
  switch (message.cmd) {
    case "open":
      return open(message as unknown as OpenRequest);
    case "take":
      return take();
    case "count":
      return { open: connections.filter((c) => !c.ended && c.readyAtNs > 0).length };
    case "close":
      return close();
    default:
      throw new Error(`unknown command ${String(message.cmd)}`);
  }
});
