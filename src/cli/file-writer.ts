/**
 * Writes a report file on Node's I/O threads. At the end of a scan the main thread still renders
 * what depends on the whole run (SARIF's results, the Markdown report, the plans) while a
 * gigabyte of spooled accounts is copied into the JSON report: with synchronous writes the copy
 * ran on the main thread, after or before the rendering, while the other core was idle. Here the
 * copy's reads and writes run on the I/O threads, each file's beside the others', and the main
 * thread only hands them out.
 */
import { read, write } from 'node:fs';
import { ByteBatch } from './byte-batch.js';
import { isSpooledBytes, spoolCutShort, type SpooledBytes } from './spool.js';

/** Bytes per write (and per read of spooled bytes, which go straight into the write's buffer). */
const WRITE_BYTES = 1 << 20;

/** What a report file is made of: text, bytes at hand, and spooled bytes that the writer reads itself. */
export type FilePiece = string | Uint8Array | SpooledBytes;

/** Thrown into a file's writing when another file of its set failed: the set is given up. */
export class WritingStopped extends Error {
  constructor() {
    super('stopped: another file of the set could not be written');
  }
}

/**
 * Writes `pieces` from position `start` of the open file `fd`, a new regular file (or a begun
 * one): text is encoded into batches, spooled bytes are read into the same batches, and each full
 * batch is written by position while the next is filled. One write is in flight at a time, so
 * two buffers are used over and over. A spooled piece is read whole before the next piece is
 * asked for (its file may then go); a bytes piece is copied before. `stop` is asked at every
 * batch: true ends the writing with {@link WritingStopped}. Resolves once every byte is written,
 * and never leaves a read or write in flight when it rejects (the file may then be closed).
 */
export async function writePieces(
  fd: number,
  pieces: Iterable<FilePiece> | AsyncIterable<FilePiece>,
  start: number,
  stop: () => boolean,
): Promise<void> {
  const writer = new PositionalWriter(fd, start, stop);
  try {
    if (Symbol.asyncIterator in pieces)
      for await (const piece of pieces) {
        const waiting = writer.put(piece);
        if (waiting) await waiting;
      }
    else
      for (const piece of pieces) {
        const waiting = writer.put(piece);
        if (waiting) await waiting;
      }
    await writer.end();
  } finally {
    await writer.settled();
  }
}

class PositionalWriter {
  /** Buffers whose write is done, to be filled again. */
  private readonly free: Buffer[] = [];
  /** Full batches not yet handed to a write. */
  private readonly ready: Buffer[] = [];
  private readonly batch: ByteBatch;
  /** The write in flight (its rejection is seen by the next wait for it). */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly fd: number,
    private position: number,
    private readonly stop: () => boolean,
  ) {
    this.batch = new ByteBatch(
      WRITE_BYTES,
      (bytes) => this.ready.push(bytes),
      true,
      () => this.free.pop() ?? Buffer.allocUnsafeSlow(WRITE_BYTES),
    );
  }

  /**
   * Takes a piece: text and bytes at once (undefined) unless a batch is then full; otherwise what
   * to wait for before the next piece (spooled bytes read, full batches handed to writes).
   */
  put(piece: FilePiece): Promise<void> | undefined {
    if (isSpooledBytes(piece)) return this.copy(piece);
    this.batch.add(piece);
    return this.ready.length > 0 ? this.submit() : undefined;
  }

  async end(): Promise<void> {
    this.batch.end();
    await this.submit();
    await this.writing;
  }

  /** Waits for the write in flight, whatever its outcome. */
  async settled(): Promise<void> {
    await this.writing.catch(() => undefined);
  }

  /** Reads spooled bytes into the batches, while the batch before is being written. */
  private async copy(range: SpooledBytes): Promise<void> {
    for (let done = 0; done < range.length;) {
      const room = this.batch.room();
      const n = await readAt(range.fd, room, Math.min(room.length, range.length - done), range.start + done);
      if (n === 0) throw spoolCutShort(range.start + done);
      this.batch.filled(n);
      done += n;
      await this.submit();
    }
  }

  /** Hands each full batch to a write once the write before it is done (its buffer then comes back to be filled). */
  private async submit(): Promise<void> {
    while (this.ready.length > 0) {
      await this.writing;
      if (this.stop()) throw new WritingStopped();
      const bytes = this.ready.shift() as Buffer;
      const at = this.position;
      this.position += bytes.length;
      const written = writeAllAt(this.fd, bytes, at).then(() => {
        this.free.push(Buffer.from(bytes.buffer, 0, WRITE_BYTES));
      });
      // Seen at the next wait for it; until then it must not count as an unhandled rejection.
      written.catch(() => undefined);
      this.writing = written;
    }
  }
}

function readAt(fd: number, buffer: Buffer, length: number, position: number): Promise<number> {
  return new Promise((done, fail) => read(fd, buffer, 0, length, position, (error, n) => (error ? fail(error) : done(n))));
}

async function writeAllAt(fd: number, bytes: Buffer, position: number): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    done += await new Promise<number>((resolve, fail) =>
      write(fd, bytes, done, bytes.length - done, position + done, (error, n) => (error ? fail(error) : resolve(n))),
    );
  }
}
