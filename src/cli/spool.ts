import { close, closeSync, mkdtempSync, openSync, readSync, rmSync, unlink } from 'node:fs';
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
export interface SpoolEntry extends SpoolRange {
  id: string;
  fd: number;
}

type Entry = SpoolEntry;

/**
 * A run of spooled bytes that a writer reads itself, where and when it suits it (on Node's I/O
 * threads, straight into its write buffer): see {@link Spool.pieces}. The file stays open until
 * the writer asks for the piece after it.
 */
export interface SpooledBytes {
  readonly fd: number;
  readonly start: number;
  readonly length: number;
}

/** Whether a report piece is spooled bytes to read rather than text or bytes at hand. */
export function isSpooledBytes(piece: unknown): piece is SpooledBytes {
  return typeof piece === 'object' && piece !== null && !(piece instanceof Uint8Array) && 'fd' in piece;
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
  /** Closed (or being closed): nothing is read or closed again. */
  private closed = false;
  /** Encodes the chunks of the account being appended; each full batch is written at the end of the file. */
  private readonly batch: ByteBatch;

  constructor(private readonly path: string) {
    this.fd = openSync(path, 'w+');
    this.batch = new ByteBatch(WRITE_BATCH, (bytes) => {
      writeAll(this.fd, bytes, this.size);
      this.size += bytes.length;
    });
  }

  /** The accounts spooled so far, in the order they came (valid until the spool is released). */
  get accounts(): readonly SpoolEntry[] {
    return this.entries;
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
   * Every account's bytes in account-id order, `separator` between two accounts (from the
   * `skip`th account on: those before it were written already). Each piece is a view of a
   * buffer that the next piece reuses: write or copy it before asking for the next.
   */
  *joined(separator = '', skip = 0): Generator<Uint8Array> {
    const between = Buffer.from(separator, 'utf8');
    const reader = new SpoolReader(this.ordered());
    for (let i = skip; i < reader.accounts; i++) {
      if (i > 0 && between.length > 0) yield between;
      yield* reader.read(i);
    }
  }

  /**
   * The same bytes as {@link Spool.joined}, as the ranges of the spool files that hold them
   * (read by the writer) and `separator` as text between them. Accounts that follow each other in
   * one file with nothing between them in the report are one range.
   */
  *pieces(separator = '', skip = 0): Generator<string | SpooledBytes> {
    const order = this.ordered();
    let run: { fd: number; start: number; length: number } | undefined;
    for (let i = skip; i < order.length; i++) {
      const entry = order[i] as Entry;
      const between = i > 0 ? separator : '';
      if (run && !between && run.fd === entry.fd && run.start + run.length === entry.start) {
        run.length += entry.length;
        continue;
      }
      if (run) yield run;
      if (between) yield between;
      run = { fd: entry.fd, start: entry.start, length: entry.length };
    }
    if (run) yield run;
  }

  /** The same as {@link Spool.joined}, as text: for the writers that need text (a terminal, a binary format's rows). */
  *joinedText(separator = ''): Generator<string> {
    const reader = new SpoolReader(this.ordered());
    for (let i = 0; i < reader.accounts; i++) {
      if (i > 0 && separator) yield separator;
      const decoder = new StringDecoder('utf8');
      for (const bytes of reader.read(i)) {
        const text = decoder.write(bytes);
        if (text) yield text;
      }
      const rest = decoder.end();
      if (rest) yield rest;
    }
  }

  /** The accounts in account-id order: the order of the report. */
  ordered(): Entry[] {
    return [...this.entries].sort(accountOrder);
  }

  /** Closes the file but keeps it: a worker thread's spool, which the main thread reads back. */
  detach(): void {
    closeSync(this.fd);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fd of this.adopted.values()) closeSync(fd);
    this.adopted.clear();
    closeSync(this.fd);
    rmSync(this.path, { force: true });
  }

  /**
   * Removes the spool's files (its own and the worker threads' it adopted) on Node's I/O
   * threads, once its report has read them: the kernel frees a large file's blocks and pages
   * when it is closed, and that is done beside the writing of the next report rather than after
   * every report. Resolves when every file is gone; never rejects (a file left behind is removed
   * with the spool folder).
   */
  release(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    const files = [...this.adopted.entries(), [this.path, this.fd] as const];
    this.adopted.clear();
    return Promise.all(files.map(([path, fd]) => removeOpenFile(path, fd))).then(() => undefined);
  }
}

/** The order of accounts in a report: by account id. */
export function accountOrder(a: { id: string }, b: { id: string }): number {
  return a.id.localeCompare(b.id);
}

/**
 * A buffer to read spooled accounts through, for a caller that reads them back many times (a
 * file written while the scan runs): one buffer for all its reads, instead of a new one each time.
 */
export function spoolReadBuffer(): Buffer {
  return Buffer.allocUnsafeSlow(READ_PIECE);
}

/**
 * The bytes of spooled accounts, in the order given, `separator` between two of them (and before
 * the first when `leading`); each piece is a view of a buffer that the next piece reuses (see {@link Spool.joined}):
 * `buffer` ({@link spoolReadBuffer}), else one of its own.
 */
export function* spooledBytes(order: readonly SpoolEntry[], separator = '', leading = false, buffer?: Buffer): Generator<Uint8Array> {
  const between = Buffer.from(separator, 'utf8');
  const reader = new SpoolReader(order, buffer);
  for (let i = 0; i < reader.accounts; i++) {
    if ((i > 0 || leading) && between.length > 0) yield between;
    yield* reader.read(i);
  }
}

/**
 * The bytes of `range`, read through `buffer` (each piece a view of it, valid until the next is
 * asked for): for a writer that takes the bytes at once (a stream's, which copies them).
 */
export function* readSpooled(range: SpooledBytes, buffer: Buffer): Generator<Buffer> {
  for (let done = 0; done < range.length;) {
    const wanted = Math.min(buffer.length, range.length - done);
    const n = readSync(range.fd, buffer, 0, wanted, range.start + done);
    if (n === 0) throw spoolCutShort(range.start + done);
    yield buffer.subarray(0, n);
    done += n;
  }
}

/** A spool file ended before the accounts it holds did: never written as a short report. */
export function spoolCutShort(position: number): Error {
  return new Error(`a report spool ended before its accounts did (at byte ${position}): the spool folder was changed during the scan`);
}

/** Unlinks a file, then closes it (the last close is where its data is freed); never rejects. */
function removeOpenFile(path: string, fd: number): Promise<void> {
  return new Promise((done) => unlink(path, () => close(fd, () => done())));
}

/**
 * Reads spooled accounts, in a given order, through one buffer. The accounts that follow one in
 * that order and lie right after it in the same file (one thread's accounts, spooled in the
 * order they came: an offline scan's) are read with it, up to a buffer's worth; nothing past
 * them is read, so accounts spooled out of order (a live scan's) cost one read each, of their own size.
 */
class SpoolReader {
  private readonly buffer: Buffer;
  /** Where the run of accounts that starts with each one ends in its file. */
  private readonly reach: number[];
  private fd = -1;
  /** File position of the buffer's first byte, and how many bytes it holds. */
  private at = 0;
  private held = 0;

  /** @param buffer what to read through (any size), else a buffer of its own, of up to {@link READ_PIECE} */
  constructor(
    private readonly order: readonly Entry[],
    buffer?: Buffer,
  ) {
    this.reach = new Array<number>(order.length);
    let longest = 1;
    for (let i = order.length - 1; i >= 0; i--) {
      const entry = order[i] as Entry;
      const next = order[i + 1];
      const end = entry.start + entry.length;
      this.reach[i] = next && next.fd === entry.fd && next.start === end ? (this.reach[i + 1] as number) : end;
      longest = Math.max(longest, (this.reach[i] as number) - entry.start);
    }
    this.buffer = buffer ?? Buffer.allocUnsafeSlow(Math.min(READ_PIECE, longest));
  }

  get accounts(): number {
    return this.order.length;
  }

  /** The bytes of the `index`th account, in pieces (views of the reused buffer). */
  *read(index: number): Generator<Buffer> {
    const entry = this.order[index] as Entry;
    let position = entry.start;
    const end = entry.start + entry.length;
    while (position < end) {
      if (entry.fd !== this.fd || position < this.at || position >= this.at + this.held)
        this.fill(entry.fd, position, this.reach[index] as number);
      const until = Math.min(this.held, end - this.at);
      yield this.buffer.subarray(position - this.at, until);
      position = this.at + until;
    }
  }

  private fill(fd: number, position: number, reach: number): void {
    this.fd = fd;
    this.at = position;
    this.held = 0;
    const wanted = Math.min(this.buffer.length, reach - position);
    let n: number;
    while (this.held < wanted && (n = readSync(fd, this.buffer, this.held, wanted - this.held, position + this.held)) > 0) this.held += n;
    if (this.held === 0) throw spoolCutShort(position);
  }
}

/** Spool folders (and report files being written) of this process not yet removed: a signal that ends the process removes them first. */
const liveFolders = new Set<string>();
/** Signals whose default action ends the process: a Ctrl-C or a job runner's stop must not leave report data in the temp folder. */
const ENDING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let signalsWatched = false;

/**
 * What to tidy once every live path is gone (e.g. the output folder a begun report file created):
 * run after all removals, last registered first, because several begun files may share the folder
 * that only the first of them created.
 */
const afterRemoval = new Map<string, () => void>();

/** Removes every live spool folder, then ends the process by the same signal (exit status 128 + n, as without the handler). */
function removeFoldersAndReraise(signal: NodeJS.Signals): void {
  for (const dir of liveFolders) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // A worker thread made a file meanwhile: nothing more can be done while the process ends.
    }
  }
  for (const tidy of [...afterRemoval.values()].reverse()) tidy();
  liveFolders.clear();
  afterRemoval.clear();
  for (const s of ENDING_SIGNALS) process.removeListener(s, removeFoldersAndReraise);
  process.kill(process.pid, signal);
}

function watchEndingSignals(): void {
  if (signalsWatched) return;
  signalsWatched = true;
  for (const s of ENDING_SIGNALS) process.once(s, removeFoldersAndReraise);
}

/**
 * Removes `path` (a file being written during the run, e.g. a report's temporary file) if a
 * signal ends the process, as the spool folders are; `thenTidy` runs once every such path is gone
 * (it must not throw). Returns what forgets it once it is renamed or removed.
 */
export function removedOnSignal(path: string, thenTidy?: () => void): () => void {
  liveFolders.add(path);
  if (thenTidy) afterRemoval.set(path, thenTidy);
  watchEndingSignals();
  return () => {
    liveFolders.delete(path);
    afterRemoval.delete(path);
  };
}

/** A folder of spools for one run, removed with everything in it (worker threads' spools too), also when a signal ends the process. */
export class SpoolFolder {
  readonly dir = mkdtempSync(join(tmpdir(), 'credwarden-'));
  private readonly spools: Spool[] = [];
  private readonly releasing: Promise<void>[] = [];

  constructor() {
    liveFolders.add(this.dir);
    watchEndingSignals();
  }

  create(): Spool {
    const spool = new Spool(join(this.dir, `${this.spools.length}.spool`));
    this.spools.push(spool);
    return spool;
  }

  /** Releases one spool's files in the background ({@link Spool.release}); {@link SpoolFolder.removed} waits for it. */
  release(spool: Spool): void {
    this.releasing.push(spool.release());
  }

  /** Waits for the spools being released, then removes the folder and everything left in it. */
  async removed(): Promise<void> {
    await Promise.all(this.releasing.splice(0));
    this.remove();
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
    liveFolders.delete(this.dir);
  }
}
