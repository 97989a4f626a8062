import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { ByteBatch, writeAll } from './byte-batch.js';

/** Bytes encoded before a write to the spool file (one buffer per spool, reused). */
const WRITE_BATCH = 1 << 18;
/** Bytes read back at a time (one buffer per read-back, reused). */
const READ_PIECE = 1 << 20;

/** Where an account's bytes are in a spool file. */
export interface SpoolRange {
  start: number;
  length: number;
}

/** One account's bytes in a spool file (this spool's own, or one a worker thread wrote). */
interface Entry extends SpoolRange {
  id: string;
  fd: number;
}

/**
 * A report's account chunks, kept on disk as they come (in whatever order accounts finish)
 * and read back in account-id order: the same data gives the same bytes, offline or live.
 * Memory holds only the index (one entry per account) and two buffers. The file holds each
 * account's chunks as UTF-8, one account after the other, nothing between them; an account's
 * bytes are on disk when {@link Spool.append} returns.
 */
export class Spool {
  private readonly fd: number;
  private readonly entries: Entry[] = [];
  /** Spool files written by worker threads, open for reading, by path. */
  private readonly adopted = new Map<string, number>();
  private size = 0;
  /** Encodes the chunks of the account being appended; each full batch is written at the end of the file. */
  private readonly batch: ByteBatch;

  constructor(private readonly path: string) {
    this.fd = openSync(path, 'w+');
    this.batch = new ByteBatch(WRITE_BATCH, (bytes) => {
      writeAll(this.fd, bytes, this.size);
      this.size += bytes.length;
    });
  }

  /** Appends one account's chunks; returns where they are (undefined when there were none). */
  append(id: string, chunks: Iterable<string>): SpoolRange | undefined {
    const start = this.size;
    for (const chunk of chunks) this.batch.add(chunk);
    this.batch.end();
    if (this.size === start) return undefined;
    const range = { start, length: this.size - start };
    this.entries.push({ id, fd: this.fd, ...range });
    return range;
  }

  /** Adds one account's chunks that another thread appended to the spool file at `path`. */
  adopt(id: string, path: string, range: SpoolRange): void {
    let fd = this.adopted.get(path);
    if (fd === undefined) {
      fd = openSync(path, 'r');
      this.adopted.set(path, fd);
    }
    this.entries.push({ id, fd, ...range });
  }

  /**
   * Every account's bytes in account-id order, `separator` between two accounts. Each piece
   * is a view of a buffer that the next piece reuses: write or copy it before asking for the next.
   */
  *joined(separator = ''): Generator<Uint8Array> {
    const between = Buffer.from(separator, 'utf8');
    const reader = this.reader();
    let first = true;
    for (const entry of this.ordered()) {
      if (!first && between.length > 0) yield between;
      first = false;
      yield* reader.read(entry);
    }
  }

  /** The same as {@link Spool.joined}, as text: for the writers that need text (a terminal, a binary format's rows). */
  *joinedText(separator = ''): Generator<string> {
    const reader = this.reader();
    let first = true;
    for (const entry of this.ordered()) {
      if (!first && separator) yield separator;
      first = false;
      const decoder = new StringDecoder('utf8');
      for (const bytes of reader.read(entry)) {
        const text = decoder.write(bytes);
        if (text) yield text;
      }
      const rest = decoder.end();
      if (rest) yield rest;
    }
  }

  private ordered(): Entry[] {
    return [...this.entries].sort((a, b) => a.id.localeCompare(b.id));
  }

  private reader(): SpoolReader {
    return new SpoolReader(this.entries.reduce((total, e) => total + e.length, 0));
  }

  /** Closes the file but keeps it: a worker thread's spool, which the main thread reads back. */
  detach(): void {
    closeSync(this.fd);
  }

  close(): void {
    for (const fd of this.adopted.values()) closeSync(fd);
    this.adopted.clear();
    closeSync(this.fd);
    rmSync(this.path, { force: true });
  }
}

/**
 * Reads spooled ranges through one buffer. Each read fills the whole buffer from where the
 * range starts, so the accounts that follow it in the same file (one thread's accounts, spooled
 * in the order they came) are usually read with it.
 */
class SpoolReader {
  private readonly buffer: Buffer;
  private fd = -1;
  /** File position of the buffer's first byte, and how many bytes it holds. */
  private at = 0;
  private held = 0;

  constructor(total: number) {
    this.buffer = Buffer.allocUnsafeSlow(Math.max(1, Math.min(READ_PIECE, total)));
  }

  *read(entry: Entry): Generator<Buffer> {
    let position = entry.start;
    const end = entry.start + entry.length;
    while (position < end) {
      if (entry.fd !== this.fd || position < this.at || position >= this.at + this.held) this.fill(entry.fd, position);
      const from = position - this.at;
      const until = Math.min(this.held, end - this.at);
      yield this.buffer.subarray(from, until);
      position = this.at + until;
    }
  }

  private fill(fd: number, position: number): void {
    this.fd = fd;
    this.at = position;
    this.held = 0;
    let n: number;
    while (
      this.held < this.buffer.length &&
      (n = readSync(fd, this.buffer, this.held, this.buffer.length - this.held, position + this.held)) > 0
    )
      this.held += n;
    if (this.held === 0)
      throw new Error(`a report spool ended before its accounts did (at byte ${position}): the spool folder was changed during the scan`);
  }
}

/** A folder of spools for one run, removed with everything in it (worker threads' spools too). */
export class SpoolFolder {
  readonly dir = mkdtempSync(join(tmpdir(), 'credwarden-'));
  private readonly spools: Spool[] = [];

  create(): Spool {
    const spool = new Spool(join(this.dir, `${this.spools.length}.spool`));
    this.spools.push(spool);
    return spool;
  }

  remove(): void {
    for (const spool of this.spools) {
      try {
        spool.close();
      } catch {
        // already closed
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
