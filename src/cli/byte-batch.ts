import { writeSync } from 'node:fs';

/** Encodes text that may not fit the rest of a batch: it says how much of the text it took. */
const encoder = new TextEncoder();

/** UTF-8 needs at most this many bytes for one UTF-16 code unit (a surrogate pair: 4 bytes for 2 units). */
const MAX_BYTES_PER_UNIT = 3;

/**
 * Report pieces (text and bytes) gathered as UTF-8 into one buffer and handed on in batches.
 * Each piece of text is encoded where it lands, never joined to the others first: joining
 * builds a string rope, which costs about seven times more to encode than its flat pieces,
 * and a new buffer for every batch keeps the garbage collector busy.
 *
 * A surrogate pair split between two pieces of text is encoded as the one character it is
 * (a high surrogate that ends a piece waits for the next piece); a lone surrogate becomes
 * U+FFFD, as `Buffer.from` writes it.
 */
export class ByteBatch {
  private buffer: Buffer;
  private used = 0;
  /** A high surrogate that ended the last piece of text: its low half may start the next. */
  private highSurrogate = '';

  /**
   * @param size bytes per batch
   * @param emit takes each full batch. With `retains`, it may keep the buffer it was given
   *   (a stream's write), so every batch is a new buffer and bytes pieces are always copied;
   *   without it, `emit` must be done with the bytes when it returns (a synchronous write), the
   *   buffer is reused, and a large bytes piece is passed through as it is, without a copy.
   * @param supply gives the buffer of each new batch when `emit` retains them (default: a new
   *   one): a writer that gets its buffers back once written hands them out again.
   */
  constructor(
    private readonly size: number,
    private readonly emit: (bytes: Buffer) => void,
    private readonly retains = false,
    private readonly supply: () => Buffer = () => Buffer.allocUnsafeSlow(size),
  ) {
    this.buffer = supply();
  }

  /** Adds a piece; full batches are emitted at once. A bytes piece is read before `add` returns. */
  add(piece: string | Uint8Array): void {
    if (typeof piece === 'string') this.addText(piece);
    else this.addBytes(piece);
  }

  /**
   * The free room at the end of the batch, for bytes read straight into it (then
   * {@link ByteBatch.filled}): a full batch is emitted first, so the room is never empty.
   */
  room(): Buffer {
    this.endText();
    if (this.used === this.buffer.length) this.flush();
    return this.buffer.subarray(this.used);
  }

  /** Counts `n` bytes put at the start of the last {@link ByteBatch.room}; a batch that is full then is emitted. */
  filled(n: number): void {
    this.used += n;
    if (this.used === this.buffer.length) this.flush();
  }

  /** Emits what is left (a waiting high surrogate as U+FFFD). */
  end(): void {
    this.endText();
    this.flush();
  }

  private addText(piece: string): void {
    if (piece.length === 0) return;
    let text = piece;
    if (this.highSurrogate) {
      text = this.highSurrogate + text;
      this.highSurrogate = '';
    }
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.highSurrogate = text.slice(-1);
      text = text.slice(0, -1);
    }
    if (text.length * MAX_BYTES_PER_UNIT <= this.buffer.length - this.used) this.used += this.buffer.write(text, this.used);
    else this.addLongText(text);
  }

  /** Text that may not fit: encoded up to the end of the batch, the rest into the next ones. */
  private addLongText(text: string): void {
    let rest = text;
    for (;;) {
      const { read, written } = encoder.encodeInto(rest, this.buffer.subarray(this.used));
      this.used += written;
      if (read === rest.length) return;
      // encodeInto never splits a character: `read` ends on a code point boundary.
      rest = rest.slice(read);
      this.flush();
    }
  }

  private endText(): void {
    if (!this.highSurrogate) return;
    const lone = this.highSurrogate;
    this.highSurrogate = '';
    if (this.buffer.length - this.used < MAX_BYTES_PER_UNIT) this.flush();
    this.used += this.buffer.write(lone, this.used);
  }

  private addBytes(bytes: Uint8Array): void {
    this.endText();
    if (!this.retains && bytes.length >= this.size / 2) {
      // A large piece goes out as it is (after what came before it): copying it would be the only cost.
      this.flush();
      this.emit(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      return;
    }
    let done = 0;
    while (done < bytes.length) {
      if (this.used === this.buffer.length) this.flush();
      const n = Math.min(bytes.length - done, this.buffer.length - this.used);
      this.buffer.set(bytes.subarray(done, done + n), this.used);
      this.used += n;
      done += n;
    }
  }

  private flush(): void {
    if (this.used === 0) return;
    const full = this.buffer.subarray(0, this.used);
    this.used = 0;
    if (this.retains) this.buffer = this.supply();
    this.emit(full);
  }
}

/** Writes all of `bytes` to `fd` (at `position` when given; else at the file's offset). */
export function writeAll(fd: number, bytes: Uint8Array, position?: number): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position === undefined ? null : position + done);
}
