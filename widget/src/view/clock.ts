/**
 * Re-renders its host on a steady beat while the host is connected, so relative times
 * ("6 seconds ago") move on by themselves. A minute is enough: the coarsest text that can go
 * stale is "now" / "N seconds ago", and nobody reads those to the second.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";

export class ClockController implements ReactiveController {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    readonly intervalMs = 60_000,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.host.requestUpdate(), this.intervalMs);
  }

  hostDisconnected(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
