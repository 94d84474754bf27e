/**
 * Shares one run of `run` among callers, with one promise: every caller's round *starts after
 * the call*. A call while a round is in flight joins the one after it (at most one queued),
 * since the round in flight may have begun too early to count for it. So a burst of N calls
 * costs at most two runs, and none gets an answer older than its call.
 */
export function nextRound(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const call = (): Promise<void> => {
    if (!running) {
      running = run().finally(() => {
        running = undefined;
      });
      return running;
    }
    queued ??= running
      .catch(() => {})
      .then(() => {
        queued = undefined;
        return call();
      });
    return queued;
  };
  return call;
}
