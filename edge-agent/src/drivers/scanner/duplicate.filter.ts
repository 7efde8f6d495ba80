/**
 * Scanners repeat a read and staff double-scan by habit (DOMAIN.md §9): the same code at the same
 * station within the window counts once. Memory is bounded: entries older than the window go.
 */
export class DuplicateFilter {
  private readonly lastSeen = new Map<string, number>();
  private readonly windowMs: number;
  private readonly maxEntries: number;

  constructor(options: { windowMs: number; maxEntries?: number }) {
    this.windowMs = options.windowMs;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** True when the read counts; false when it repeats the same code within the window. */
  accept(stationId: string, code: string, nowMs: number): boolean {
    const key = `${stationId}\u0000${code}`;
    const previous = this.lastSeen.get(key);
    this.lastSeen.delete(key);
    this.lastSeen.set(key, nowMs); // re-insert: the map stays in last-seen order
    if (this.lastSeen.size > this.maxEntries) this.prune(nowMs);
    return previous === undefined || nowMs - previous > this.windowMs;
  }

  private prune(nowMs: number): void {
    for (const [key, at] of this.lastSeen) {
      if (nowMs - at <= this.windowMs && this.lastSeen.size <= this.maxEntries) break;
      this.lastSeen.delete(key);
    }
  }
}
