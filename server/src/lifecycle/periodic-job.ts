/**
 * A pass over the database run every `intervalMs` on every instance: the lifecycle jobs
 * (retention, snooze wake) are written so several instances can run them at once. A pass
 * still running when the timer fires again, or asked for by `runOnce` meanwhile, is shared,
 * never started twice. `pass` must not throw: a failed pass logs and leaves the rest to the
 * next one.
 */
export abstract class PeriodicJob {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly intervalMs: number) {}

  start(): void {
    this.timer ??= setInterval(() => void this.runOnce(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass; concurrent calls share it. Resolves to the number of rows it changed. */
  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  protected abstract pass(): Promise<number>;
}
