/**
 * The toast stack: newest last, capped (the oldest gives way), each dismissed after a while.
 * The countdown pauses while the pointer or focus is inside the stack, so nobody loses a
 * toast they are reading or about to click, and resumes with the time that was left.
 *
 * A group (items with one `groupKey`, docs/design/grouping.md) toasts once per window: the
 * first member shows a toast; members arriving within `groupWindowMs` of it show no other,
 * and take its place in that toast if it is still up.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { NotifyItem } from "../types.ts";

export interface Toast {
  key: number;
  item: NotifyItem;
}

interface Timing {
  remaining: number;
  startedAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class ToastController implements ReactiveController {
  toasts: Toast[] = [];
  private readonly timing = new Map<number, Timing>();
  private paused = false;
  private nextKey = 1;
  /** When each group key last toasted: only keys inside the window are kept. */
  private readonly groups = new Map<string, number>();

  constructor(
    private readonly host: ReactiveControllerHost,
    readonly max = 3,
    readonly durationMs = 6000,
    readonly groupWindowMs = 10_000,
  ) {
    host.addController(this);
  }

  /** Shows a toast for `item`; false when it only joined its group's toast (say nothing). */
  show(item: NotifyItem): boolean {
    const now = Date.now();
    const group = item.groupKey;
    for (const [k, at] of this.groups) if (now - at >= this.groupWindowMs) this.groups.delete(k);
    if (group && this.groups.has(group)) {
      this.toasts = this.toasts.map((t) => (t.item.groupKey === group ? { ...t, item } : t));
      this.host.requestUpdate();
      return false;
    }
    if (group) this.groups.set(group, now);
    const key = this.nextKey++;
    this.toasts = [...this.toasts, { key, item }];
    this.timing.set(key, { remaining: this.durationMs, startedAt: 0, timer: undefined });
    if (!this.paused) this.run(key);
    while (this.toasts.length > this.max) this.dismiss(this.toasts[0]?.key ?? key);
    this.host.requestUpdate();
    return true;
  }

  dismiss(key: number): void {
    clearTimeout(this.timing.get(key)?.timer);
    this.timing.delete(key);
    this.toasts = this.toasts.filter((t) => t.key !== key);
    this.host.requestUpdate();
  }

  /** A toast shows its notification as it is now: an action taken shows done. */
  update(item: NotifyItem): void {
    this.toasts = this.toasts.map((t) => (t.item.id === item.id ? { ...t, item } : t));
    this.host.requestUpdate();
  }

  /** A notification deleted on the server leaves the stack too. */
  dismissItem(id: string): void {
    for (const t of this.toasts) if (t.item.id === id) this.dismiss(t.key);
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    const now = Date.now();
    for (const t of this.timing.values()) {
      clearTimeout(t.timer);
      t.remaining -= now - t.startedAt;
    }
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    for (const key of this.timing.keys()) this.run(key);
  }

  clear(): void {
    for (const t of this.timing.values()) clearTimeout(t.timer);
    this.timing.clear();
    this.toasts = [];
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.clear();
  }

  private run(key: number): void {
    const t = this.timing.get(key);
    if (!t) return;
    t.startedAt = Date.now();
    t.timer = setTimeout(() => this.dismiss(key), Math.max(0, t.remaining));
  }
}
