/**
 * The first `limit` items of a stream under a total order, in that order, holding at most
 * 2 × limit items: the rest are dropped as they come. The comparator must be total (no two
 * different items equal), so the kept items never depend on the order they arrive in.
 */
export class TopN<T> {
  private items: T[] = [];
  /** The last item kept at the latest trim: an item after it can never be among the first `limit`. */
  private cutoff: T | undefined;

  constructor(
    readonly limit: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}

  add(item: T): void {
    if (this.limit <= 0) return;
    if (this.cutoff !== undefined && this.compare(item, this.cutoff) > 0) return;
    this.items.push(item);
    if (this.items.length >= 2 * this.limit) this.trim();
  }

  private trim(): void {
    this.items.sort(this.compare);
    this.items.length = Math.min(this.items.length, this.limit);
    if (this.items.length === this.limit) this.cutoff = this.items[this.limit - 1];
  }

  /** The kept items, first first. */
  sorted(): T[] {
    this.trim();
    return [...this.items];
  }
}
