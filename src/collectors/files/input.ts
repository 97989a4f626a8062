/**
 * The one way commands open the files a user names (results, snapshots, credential reports,
 * waivers, config, rules, account lists). Two promises hold for every reader:
 *
 * - Only regular files are read. A FIFO, a character device (`/dev/zero`, `/dev/stdin`) or a
 *   socket is refused before a byte is read: it is opened non-blocking, so a FIFO with no
 *   writer cannot hang the command, and it is checked on the opened descriptor (fstat), so the
 *   answer cannot change between the check and the read.
 * - Limits count bytes as they are read, never the size a stat claims: a file that grows while
 *   it is read, or one whose stat says 0 bytes, is still stopped at its limit.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../../model/index.js';

const MiB = 2 ** 20;

/**
 * The most bytes each kind of input may hold. Each bound is far above any real input (AWS caps
 * an account at 5,000 IAM users, a credential report row is under 1 KiB), and low enough that a
 * file of garbage is refused before it costs memory. Results have no total limit: they are
 * streamed (see results.ts), and only each item of them is bounded.
 */
export const INPUT_LIMITS = {
  /** YAML and text a person writes: config, waivers, rules, packs, procedures, account lists. */
  text: 32 * MiB,
  /** One saved credential report (CSV). */
  report: 256 * MiB,
  /** A snapshot (scan --save-snapshot), parsed whole; also V8's longest string is about 512 MiB. */
  snapshot: 500 * MiB,
} as const;

/** Where an input came from, for messages: what it is and the path as the user wrote it. */
export interface InputName {
  /** What the file is, e.g. 'result file' or 'waivers file'. */
  what: string;
  /** The path as the user wrote it. */
  label: string;
}

function inputError(name: InputName, message: string, suggestion?: string): InputError {
  return new InputError([{ severity: 'error', file: name.label, message, ...(suggestion ? { suggestion } : {}) }]);
}

/** Open flags: read-only, and non-blocking so that opening a FIFO never waits for a writer. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Refuses anything but a regular file, by the stats of the opened descriptor. @throws InputError */
function checkRegular(stats: Stats, name: InputName): void {
  if (stats.isDirectory()) throw inputError(name, `${name.what} is a folder, not a file`);
  if (!stats.isFile())
    throw inputError(
      name,
      `${name.what} is ${kindOf(stats)}: credwarden reads only regular files`,
      'save the input to a file first (e.g. `cat SOURCE > input-file`), then pass that file',
    );
}

function openError(error: unknown, name: InputName): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return inputError(name, `${name.what} not found`);
  if (code === 'EISDIR') return inputError(name, `${name.what} is a folder, not a file`);
  return inputError(name, `cannot read ${name.what}: ${code ?? (error as Error).message}`);
}

function tooLarge(name: InputName, maxBytes: number, suggestion?: string): InputError {
  return inputError(name, `${name.what} is larger than ${formatBytes(maxBytes)}, the most credwarden reads for it`, suggestion);
}

/** `32 MiB`, `1.5 KiB`, `100 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [unit, size] = bytes < MiB ? ['KiB', 1024] : bytes < 1024 * MiB ? ['MiB', MiB] : ['GiB', 1024 * MiB];
  return `${Math.round((bytes / (size as number)) * 10) / 10} ${unit as string}`;
}

/** Options of {@link readInputFile}. */
export interface ReadInputOptions {
  /** The most bytes to read (default {@link INPUT_LIMITS}.text). */
  maxBytes?: number;
  /** What to do when the file is too large, for the message. */
  tooLargeSuggestion?: string;
}

/**
 * Reads a user-named input file as UTF-8 text: regular files only, at most `maxBytes`, counted
 * as they are read. A missing file, a folder, a FIFO, a device, an unreadable or too large file
 * is an InputError naming `label`, so the CLI exits 2 with a message, not a stack trace or a hang.
 * @param what what the file is, e.g. 'config file' or 'snapshot file'
 * @throws InputError
 */
export function readInputFile(path: string, what: string, label: string = path, options: ReadInputOptions = {}): string {
  const name = { what, label };
  const maxBytes = options.maxBytes ?? INPUT_LIMITS.text;
  return withRegularFile(path, name, (fd) => {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // One byte past the limit tells a file of exactly maxBytes from a longer one.
      const chunk = Buffer.allocUnsafe(Math.min(MiB, maxBytes + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes) throw tooLarge(name, maxBytes, options.tooLargeSuggestion);
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  });
}

/**
 * Runs `read` on a user-named file opened read-only, once it is known to be a regular file, and
 * closes it: a failure to open or read is an InputError naming the file (never a raw errno).
 */
function withRegularFile<T>(path: string, name: { what: string; label: string }, read: (fd: number) => T): T {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    throw openError(error, name);
  }
  try {
    checkRegular(fstatSync(fd), name);
    return read(fd);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw openError(error, name);
  } finally {
    closeSync(fd);
  }
}

/**
 * The first match of `pattern` in the first `peekBytes` of a user-named input file, with
 * {@link readInputFile}'s checks (regular files only), for a first look at a file that is read
 * whole later. The bytes are decoded as Latin-1, so `pattern` must match ASCII only (its
 * matches are then those of the UTF-8 text). Returns null when the file ends within
 * `peekBytes` without a match, undefined when it goes on (read it whole to look further).
 * @throws InputError
 */
export function matchInInputFile(
  path: string,
  what: string,
  label: string,
  pattern: RegExp,
  options: { peekBytes: number },
): RegExpExecArray | null | undefined {
  return withRegularFile(path, { what, label }, (fd) => {
    const head = Buffer.allocUnsafe(options.peekBytes);
    let total = 0;
    while (total < head.length) {
      const read = readSync(fd, head, total, head.length - total, null);
      if (read === 0) break;
      total += read;
    }
    const match = pattern.exec(head.toString('latin1', 0, total));
    return match ?? (total < head.length ? null : undefined);
  });
}

/** A regular input file opened for streaming. */
export interface OpenedInput {
  handle: FileHandle;
  /** Its size when opened (for progress and messages; limits count bytes read instead). */
  size: number;
}

/**
 * Opens a user-named input for streaming (a result): regular files only, checked on the opened
 * descriptor. The caller closes `handle`.
 * @throws InputError
 */
export async function openInputFile(path: string, what: string, label: string = path): Promise<OpenedInput> {
  const name = { what, label };
  let handle: FileHandle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    throw openError(error, name);
  }
  try {
    const stats = await handle.stat();
    checkRegular(stats, name);
    return { handle, size: stats.size };
  } catch (error) {
    await handle.close();
    throw error instanceof InputError ? error : openError(error, name);
  }
}

/**
 * The bytes of an opened input, chunk by chunk, stopping with an InputError once more than
 * `maxBytes` have been read (no limit by default).
 * @throws InputError
 */
export async function* inputChunks(
  opened: OpenedInput,
  name: InputName,
  maxBytes = Number.POSITIVE_INFINITY,
): AsyncGenerator<Uint8Array, void, undefined> {
  const buffer = Buffer.allocUnsafe(MiB);
  let total = 0;
  for (;;) {
    let read: number;
    try {
      ({ bytesRead: read } = await opened.handle.read(buffer, 0, buffer.length, null));
    } catch (error) {
      throw openError(error, name);
    }
    if (read === 0) return;
    total += read;
    if (total > maxBytes) throw tooLarge(name, maxBytes);
    // A copy: the parser may keep a reference to the bytes it was given.
    yield Uint8Array.prototype.slice.call(buffer, 0, read);
  }
}
