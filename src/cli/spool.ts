import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/** Text is written to the spool file in pieces of about this many characters. */
const WRITE_PIECE = 1 << 16;
/** Bytes read back at a time. */
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
 * Memory holds only the index (one entry per account).
 */
export class Spool {
  private readonly fd: number;
  private readonly entries: Entry[] = [];
  /** Spool files written by worker threads, open for reading, by path. */
  private readonly adopted = new Map<string, number>();
  private size = 0;

  constructor(private readonly path: string) {
    this.fd = openSync(path, 'w+');
  }

  /** Appends one account's chunks; returns where they are (undefined when there were none). */
  append(id: string, chunks: Iterable<string>): SpoolRange | undefined {
    const start = this.size;
    let pending = '';
    for (const chunk of chunks) {
      pending += chunk;
      if (pending.length >= WRITE_PIECE) {
        this.write(pending);
        pending = '';
      }
    }
    if (pending) this.write(pending);
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

  private write(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset, bytes.length - offset, this.size + offset);
    this.size += bytes.length;
  }

  /** Every account's chunks in account-id order, `separator` between two accounts. */
  *joined(separator = ''): Generator<string> {
    const order = [...this.entries].sort((a, b) => a.id.localeCompare(b.id));
    const buffer = Buffer.alloc(
      Math.min(
        READ_PIECE,
        order.reduce((most, e) => Math.max(most, e.length), 1),
      ),
    );
    let first = true;
    for (const entry of order) {
      if (!first && separator) yield separator;
      first = false;
      const decoder = new StringDecoder('utf8');
      let done = 0;
      while (done < entry.length) {
        const n = readSync(entry.fd, buffer, 0, Math.min(buffer.length, entry.length - done), entry.start + done);
        if (n === 0) break;
        done += n;
        const text = decoder.write(buffer.subarray(0, n));
        if (text) yield text;
      }
      const rest = decoder.end();
      if (rest) yield rest;
    }
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
