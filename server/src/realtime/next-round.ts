/**
 * Shares runs of `run` among callers: every caller's promise settles with a run that *started
 * after its call*. A call while a run is in flight joins the one after it (at most one is
 * queued), since the run in flight may have begun too early to count for it. Runs start at
 * least `minIntervalMs` apart: a call inside the interval waits for the next run rather than
 * being refused or causing one. So any burst costs at most two runs, and callers anyone can
 * drive (a miss on an unknown tenant) cost at most one run per interval.
 */
export function nextRound(run: () => Promise<void>, minIntervalMs = 0): () => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let startedAt = Number.NEGATIVE_INFINITY;
  const start = () => {
    startedAt = Date.now();
    running = run().finally(() => {
      running = undefined;
    });
    return running;
  };
  return () => {
    if (queued) return queued;
    if (!running && Date.now() - startedAt >= minIntervalMs) return start();
    queued = (running ?? Promise.resolve())
      .catch(() => {})
      .then(() => {
        const wait = startedAt + minIntervalMs - Date.now();
        return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : undefined;
      })
      .then(() => {
        queued = undefined;
        return start();
      });
    return queued;
  };
}
