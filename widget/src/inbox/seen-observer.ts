/**
 * Marks rows seen as the issue defines it: at least half of a row visible for a second, and
 * one request for every row that got there together. Opening the panel sees nothing by
 * itself: a row below the fold is not seen until it is scrolled into view.
 *
 * Must stay true: only rows carrying `data-unseen` (unread and not seen) are ever reported,
 * and a row that leaves the view before its second is up is not.
 */
export class SeenObserver {
  private observer: IntersectionObserver | undefined;
  private readonly timers = new Map<Element, ReturnType<typeof setTimeout>>();
  private readonly due = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly report: (ids: string[]) => void,
    private readonly dwellMs = 1_000,
  ) {}

  /** Watches these rows (again after every render: Lit reuses row elements). */
  watch(rows: Iterable<Element>): void {
    this.observer ??= new IntersectionObserver(
      (entries) => {
        for (const { target, intersectionRatio } of entries) {
          clearTimeout(this.timers.get(target));
          this.timers.delete(target);
          if (intersectionRatio >= 0.5) {
            this.timers.set(
              target,
              setTimeout(() => this.dwelt(target), this.dwellMs),
            );
          }
        }
      },
      { threshold: 0.5 },
    );
    for (const row of rows) this.observer.observe(row);
  }

  /** Stops watching (the panel closed); nothing half-seen is reported. */
  stop(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private dwelt(row: Element): void {
    this.timers.delete(row);
    // A group row stands for all its members (`data-ids`): seeing it sees them.
    const { id, ids = id } = (row as HTMLElement).dataset;
    if (!ids || !row.hasAttribute("data-unseen")) return;
    this.observer?.unobserve(row);
    for (const one of ids.split(",")) this.due.add(one);
    // Rows that became visible together are due within a few milliseconds of each other.
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const ids = [...this.due];
      this.due.clear();
      this.report(ids);
    }, 50);
  }
}
