/**
 * Things that end at a time (`expiresAt`, ms since epoch), filed by the window of `windowMs`
 * they end in, so one timer can end them all: a check reads only the windows already due,
 * and each thing costs one entry in a shared set rather than a timer of its own.
 */
export class ExpiryWheel<T extends { readonly expiresAt: number }> {
  private readonly windows = new Map<number, Set<T>>();

  constructor(private readonly windowMs: number) {}

  add(item: T): void {
    const window = this.windowOf(item.expiresAt);
    let items = this.windows.get(window);
    if (!items) {
      items = new Set();
      this.windows.set(window, items);
    }
    items.add(item);
  }

  delete(item: T): void {
    const window = this.windowOf(item.expiresAt);
    const items = this.windows.get(window);
    if (items?.delete(item) && items.size === 0) this.windows.delete(window);
  }

  /** Everything whose `expiresAt` is not after `now`. */
  expired(now: number): T[] {
    const due: T[] = [];
    const current = this.windowOf(now);
    for (const [window, items] of this.windows) {
      if (window > current) continue;
      for (const item of items) if (item.expiresAt <= now) due.push(item);
    }
    return due;
  }

  private windowOf(time: number): number {
    return Math.floor(time / this.windowMs);
  }
}
