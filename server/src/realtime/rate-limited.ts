/**
 * `run`, called as often as anyone likes, runs at most once per `intervalMs`: the first call
 * at once, and calls within the interval after it fold into one more run at its end, so the
 * last call is never lost.
 *
 * For work that anyone can trigger: every database role may NOTIFY any channel, so a wake-up
 * on a channel must cost an instance at most one run a second however often it arrives.
 */
export function rateLimited(run: () => void, intervalMs: number): () => void {
  let last = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    timer = undefined;
    last = Date.now();
    run();
  };
  return () => {
    if (timer) return;
    const wait = last + intervalMs - Date.now();
    if (wait <= 0) fire();
    else timer = setTimeout(fire, wait);
  };
}
