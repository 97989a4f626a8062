/**
 * The first `limit` items of a stream under a total order, in that order, holding at most
 * 2 × limit items: the rest are dropped as they come. The comparator must be total (no two
 * different items equal), so the kept items never depend on the order they arrive in.
 */
export class TopN<T> {
  private items: T[] = [];

  constructor(
    readonly limit: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}

  add(item: T): void {
    if (this.limit <= 0) return;
    this.items.push(item);
    if (this.items.length >= 2 * this.limit) this.trim();
  }

  private trim(): void {
    this.items.sort(this.compare);
    this.items.length = Math.min(this.items.length, this.limit);
  }

  /** The kept items, first first. */
  sorted(): T[] {
    this.trim();
    return [...this.items];
  }
}
