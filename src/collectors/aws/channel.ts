/**
 * A small async queue between the account workers and the consumer. It is bounded: a worker
 * that finishes while the buffer is full waits (keeping its concurrency slot), so a slow
 * consumer slows the scan down instead of letting finished accounts pile up in memory.
 */
interface Waiter<T> {
  resolve(value: IteratorResult<T>): void;
  reject(error: unknown): void;
}

/** Bounded async queue: many producers, one consumer. */
export class Channel<T> {
  private readonly items: T[] = [];
  private readonly waitingForRoom: (() => void)[] = [];
  private consumer: Waiter<T> | undefined;
  private closed = false;
  private failure: { error: unknown } | undefined;

  constructor(private readonly capacity = Number.POSITIVE_INFINITY) {}

  /** Adds an item; resolves once it fits in the buffer (or was handed to the waiting consumer). */
  async push(item: T): Promise<void> {
    if (this.consumer) {
      const consumer = this.consumer;
      this.consumer = undefined;
      consumer.resolve({ value: item, done: false });
      return;
    }
    while (this.items.length >= this.capacity) await new Promise<void>((resolve) => this.waitingForRoom.push(resolve));
    this.items.push(item);
  }

  /** No more items: the consumer sees `done` once the buffer is drained. */
  close(): void {
    this.closed = true;
    const consumer = this.consumer;
    this.consumer = undefined;
    if (!consumer) return;
    if (this.failure) consumer.reject(this.failure.error);
    else consumer.resolve({ value: undefined, done: true });
  }

  /** Ends the channel with an error: the consumer's next `next()` rejects with it. */
  fail(error: unknown): void {
    this.failure = { error };
    this.close();
  }

  /** The next item; done once closed and drained; rejects after `fail`. */
  next(): Promise<IteratorResult<T>> {
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.items.length > 0) {
      const item = this.items.shift() as T;
      this.waitingForRoom.shift()?.();
      return Promise.resolve({ value: item, done: false });
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.consumer = { resolve, reject };
    });
  }
}
