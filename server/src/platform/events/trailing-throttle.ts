/**
 * At most one call per key per window, on the trailing edge: the first `hit(key)` of a quiet key
 * starts its window, every further hit in the window joins it, and `fire(key, hits)` runs once when
 * the window ends, with how many hits it stands for. A busy floor (hundreds of scans a second)
 * thus costs its listeners one message per warehouse per window, and the last change of a burst is
 * never lost (it is always inside a window that will fire).
 */
export class TrailingThrottle {
  private readonly pending = new Map<string, { hits: number; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly windowMs: number,
    private readonly fire: (key: string, hits: number) => void,
  ) {}

  hit(key: string): void {
    const open = this.pending.get(key);
    if (open) {
      open.hits++;
      return;
    }
    const timer = setTimeout(() => {
      const done = this.pending.get(key);
      this.pending.delete(key);
      this.fire(key, done?.hits ?? 1);
    }, this.windowMs);
    timer.unref?.();
    this.pending.set(key, { hits: 1, timer });
  }

  /** Fires every open window now (at shutdown nothing is left unsaid), then stops. */
  flush(): void {
    const open = [...this.pending];
    this.pending.clear();
    for (const [key, { hits, timer }] of open) {
      clearTimeout(timer);
      this.fire(key, hits);
    }
  }

  /** Drops the open windows without firing them. */
  close(): void {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
