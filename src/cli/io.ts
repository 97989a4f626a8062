import {
  closeSync,
  createWriteStream,
  openSync,
  fstatSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlink,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { InputError } from '../model/index.js';
import type { ReportChunks } from '../core/format/types.js';
import { isClosedPipe, type CliIO } from './process-io.js';
import { ByteBatch } from './byte-batch.js';
import { isSpooledBytes, readSpooled, removedOnSignal } from './spool.js';
import { WritingStopped, writePieces, type FilePiece } from './file-writer.js';

export { isClosedPipe, processIO, useColor, type CliIO } from './process-io.js';

/** Bytes gathered before a stream write: fewer writes, and what a stream may hold is bounded. */
const STREAM_BATCH_BYTES = 1 << 16;

/**
 * What the writers take: text, bytes (a binary report's), and report text already encoded in a
 * spool, as the range of the spool file that holds it (see {@link SpooledBytes}).
 */
export type OutputChunks = Iterable<FilePiece> | AsyncIterable<FilePiece>;

/**
 * Writes report chunks to a stream, encoded as UTF-8 into batches (see {@link ByteBatch});
 * whenever the stream says its buffer is full, the next piece is pulled only after it drains,
 * so memory holds a batch or two, never the whole report. Rejects on a stream error; stops
 * quietly when the stream was closed (its reader went away).
 */
export async function writeChunks(chunks: OutputChunks, stream: NodeJS.WritableStream): Promise<void> {
  const ready: Buffer[] = [];
  // The stream keeps each batch until it is written: every batch is a new buffer.
  const batch = new ByteBatch(STREAM_BATCH_BYTES, (bytes) => ready.push(bytes), true);
  let readBuffer: Buffer | undefined;
  const drain = async (): Promise<boolean> => {
    for (const bytes of ready.splice(0)) if (!(await put(stream, bytes))) return false;
    return true;
  };
  for await (const chunk of chunks) {
    if (isSpooledBytes(chunk)) {
      // Read through one buffer, a batch at a time: the batch copies what it is given.
      readBuffer ??= Buffer.allocUnsafeSlow(STREAM_BATCH_BYTES);
      for (const bytes of readSpooled(chunk, readBuffer)) {
        batch.add(bytes);
        if (ready.length > 0 && !(await drain())) return;
      }
      continue;
    }
    batch.add(chunk);
    if (ready.length > 0 && !(await drain())) return;
  }
  batch.end();
  await drain();
}

/** Writes one batch and waits for room; false once the stream is closed. */
async function put(stream: NodeJS.WritableStream, bytes: Uint8Array): Promise<boolean> {
  if (isClosed(stream)) return false;
  if (stream.write(bytes)) return true;
  await new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      stream.off('drain', onDrain);
      stream.off('close', onDrain);
      stream.off('error', settle);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    stream.once('drain', onDrain);
    stream.once('close', onDrain);
    stream.once('error', settle);
  });
  return !isClosed(stream);
}

function isClosed(stream: NodeJS.WritableStream): boolean {
  const state = stream as { destroyed?: boolean; writableEnded?: boolean };
  return state.destroyed === true || state.writableEnded === true;
}

/**
 * Streams report chunks to standard output (or the test double's stdout). A
 * reader that goes away (`credwarden … | head`) is its choice, not a failure: the
 * rest of the report is dropped and the run goes on to its own exit code.
 */
export async function writeStdout(io: CliIO, chunks: ReportChunks): Promise<void> {
  if (!io.stdoutStream) {
    // The test double takes text: bytes are handed over one char per byte (latin1).
    for await (const chunk of chunks) io.stdout(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1'));
    return;
  }
  try {
    await writeChunks(chunks, io.stdoutStream);
  } catch (error) {
    if (!isClosedPipe(error)) throw error;
  }
}

/** One file of a set written together. `chunks` undefined: the file is not part of this run; remove an old copy. */
export interface OutputFile {
  path: string;
  chunks: OutputChunks | undefined;
  /** The file's temporary file, begun during the run ({@link startFile}): `chunks` are the rest of it. */
  started?: StartedFile;
}

/** A report file begun before the rest of its set ({@link startFile}): its temporary file beside the target, open for writing. */
export interface StartedFile {
  path: string;
  /** The file that the temporary one replaces (a symlink's target). */
  target: string;
  temporary: string;
  fd: number;
  /** The first folder that starting the file created, if any (removed with the file when it is discarded). */
  createdDir?: string;
  /** Takes the temporary file off the list of files a signal removes. */
  forget: () => void;
}

/**
 * Begins a report file of a set before the set is written ({@link writeFileSet} finishes it): its
 * temporary file beside the target, so that a report can be written as its accounts come.
 * Undefined when the file cannot be begun this way (a device, FIFO or standard output is written
 * in place; a path that cannot be written is reported when the set is written).
 */
export function startFile(path: string): StartedFile | undefined {
  let createdDir: string | undefined;
  try {
    createdDir = mkdirSync(dirname(path), { recursive: true });
    const target = outputTarget(path);
    if (target.kind !== 'replace') throw new Error('written in place');
    const temporary = temporaryPath(target.path);
    const fd = openSync(temporary, 'wx');
    // A signal removes the temporary file, then the folders starting it made, if they are empty then.
    const made = createdDir;
    const tidy = made ? () => removeCreatedDirs(dirname(path), made) : undefined;
    return { path, target: target.path, temporary, fd, ...(createdDir ? { createdDir } : {}), forget: removedOnSignal(temporary, tidy) };
  } catch {
    if (createdDir) removeCreatedDirs(dirname(path), createdDir);
    return undefined;
  }
}

/** Whether a begun file still goes where it was begun for (nothing replaced its target with a device or a folder meanwhile). */
export function stillStarted(file: StartedFile): boolean {
  const target = outputTarget(file.path);
  return target.kind === 'replace' && target.path === file.target;
}

/** Removes a begun file that will not be finished (the scan failed, or the file is written whole instead). */
export function discardStarted(file: StartedFile): void {
  try {
    closeSync(file.fd);
  } catch {
    // already closed
  }
  rmSync(file.temporary, { force: true });
  file.forget();
  if (file.createdDir) removeCreatedDirs(dirname(file.path), file.createdDir);
}

/** Removes the folders from `dir` up to `created` that starting a file made, while they are empty. */
function removeCreatedDirs(dir: string, created: string): void {
  for (let current = dir; ; current = dirname(current)) {
    try {
      rmdirSync(current);
    } catch {
      return;
    }
    if (current === created || dirname(current) === current) return;
  }
}

/**
 * Where an output really goes. A regular file, or a path where nothing is yet, is
 * replaced atomically (`replace`: a temporary file beside the real target, then a rename;
 * a symlink's target is written, the link kept). Anything else that is not a folder (a
 * FIFO, a character device such as /dev/null or /dev/full, a terminal, /dev/stdout) is
 * written `in-place`: renaming over it would replace the device or pipe with a file and
 * its reader would get nothing. `fd` is set when the target is this process's own
 * standard output or error, which may be a socket that cannot be opened by name.
 */
type OutputTarget = { kind: 'replace'; path: string } | { kind: 'in-place'; path: string; fd?: number };

/** Symlink hops followed to find a dangling link's target (the kernel's own limit is 40). */
const MAX_LINKS = 40;

function outputTarget(path: string): OutputTarget {
  const stats = statOrUndefined(path);
  if (stats === undefined) return { kind: 'replace', path: danglingTarget(path) };
  if (stats.isFile() || stats.isDirectory()) return { kind: 'replace', path: realpathSync(path) };
  const fd = [1, 2].find((n) => sameFile(stats, fstatOrUndefined(n)));
  return { kind: 'in-place', path, ...(fd !== undefined ? { fd } : {}) };
}

/** A path that does not exist, or a symlink whose target does not exist yet: the path to create. */
function danglingTarget(path: string): string {
  let current = path;
  for (let hop = 0; hop < MAX_LINKS; hop++) {
    let link: string;
    try {
      link = readlinkSync(current);
    } catch {
      return current;
    }
    current = resolve(dirname(current), link);
  }
  return current;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function fstatOrUndefined(fd: number): Stats | undefined {
  try {
    return fstatSync(fd);
  } catch {
    return undefined;
  }
}

function sameFile(a: Stats, b: Stats | undefined): boolean {
  return b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

/**
 * Writes a set of reports so that a reader never sees a mix of two runs or a
 * half-written file: every file is streamed to a temporary file beside its target,
 * then all are renamed into place. Devices, FIFOs and standard output are written
 * in place instead (see {@link OutputTarget}), one after the other in the set's order.
 * The temporary files are written at the same time, on Node's I/O threads (see
 * {@link writePieces}): the main thread renders one report's rest while the others'
 * spooled accounts are copied. On any failure, the other files stop, the temporary
 * files and every earlier copy of the set's files are removed, and an InputError names
 * the file that could not be written (the first of the set's order, if several failed).
 * Files listed without chunks are removed after a successful write (a companion an
 * earlier run left behind).
 */
export async function writeFileSet(files: readonly OutputFile[]): Promise<void> {
  const temporaries = new Map<string, string>();
  const targets = new Map<string, OutputTarget>();
  /** The temporary files open for writing, and where their rest starts. */
  const open = new Map<string, { fd: number; start: number }>();
  let failure: { path: string; error: unknown } | undefined;
  let current = files[0]?.path ?? '';
  try {
    // Every target first, in order: a path that cannot be written is named before any bytes are.
    for (const file of files) {
      if (!file.chunks) continue;
      current = file.path;
      if (file.started) {
        temporaries.set(file.path, file.started.temporary);
        targets.set(file.path, { kind: 'replace', path: file.started.target });
        open.set(file.path, { fd: file.started.fd, start: fstatSync(file.started.fd).size });
        continue;
      }
      mkdirSync(dirname(file.path), { recursive: true });
      const target = outputTarget(file.path);
      targets.set(file.path, target);
      if (target.kind === 'in-place') continue;
      const temporary = temporaryPath(target.path);
      temporaries.set(file.path, temporary);
      open.set(file.path, { fd: openSync(temporary, 'wx'), start: 0 });
    }
    failure = await writeAllFiles(files, targets, open);
    if (!failure)
      for (const file of files) {
        current = file.path;
        const temporary = temporaries.get(file.path);
        const target = targets.get(file.path);
        if (temporary && target) replaceFile(temporary, target.path);
        else if (!target) removeFile(file.path);
        file.started?.forget();
      }
  } catch (error) {
    failure = { path: current, error };
  }
  if (!failure) return;
  closeAll(open);
  for (const temporary of temporaries.values()) rmSync(temporary, { force: true });
  for (const file of files) file.started?.forget();
  const removed = files.filter((f) => targets.get(f.path)?.kind !== 'in-place' && removeFile(f.path)).map((f) => f.path);
  throw writeError(failure.path, failure.error, removed);
}

/**
 * Writes the files of a set: the temporary files (`open`, each closed once written) all at once,
 * the in-place targets one after the other. Once one fails, the others stop at their next batch.
 * Resolves when nothing is in flight any more, with the first failure in the set's order.
 */
async function writeAllFiles(
  files: readonly OutputFile[],
  targets: ReadonlyMap<string, OutputTarget>,
  open: Map<string, { fd: number; start: number }>,
): Promise<{ path: string; error: unknown } | undefined> {
  let stopped = false;
  const stop = () => stopped;
  let inPlace: Promise<void> = Promise.resolve();
  const writes = files.map((file): Promise<void> => {
    const { chunks } = file;
    const target = targets.get(file.path);
    const temporary = open.get(file.path);
    let write: Promise<void>;
    if (!chunks) write = Promise.resolve();
    else if (temporary) write = writeTemporary(file.path, temporary, chunks, stop, open);
    else if (target?.kind === 'in-place') {
      write = inPlace.then(() => (stopped ? Promise.reject(new WritingStopped()) : writeInPlace(target, chunks)));
      inPlace = write.catch(() => undefined);
    } else write = Promise.resolve();
    return write.catch((error: unknown) => {
      stopped = true;
      throw error;
    });
  });
  const outcomes = await Promise.allSettled(writes);
  const failed = outcomes.findIndex((o) => o.status === 'rejected' && !((o.reason as unknown) instanceof WritingStopped));
  const outcome = outcomes[failed];
  return outcome?.status === 'rejected' ? { path: (files[failed] as OutputFile).path, error: outcome.reason } : undefined;
}

/** Writes a temporary file's pieces, then closes it (its entry in `open` goes with it). */
async function writeTemporary(
  path: string,
  file: { fd: number; start: number },
  chunks: OutputChunks,
  stop: () => boolean,
  open: Map<string, { fd: number; start: number }>,
): Promise<void> {
  try {
    await writePieces(file.fd, chunks, file.start, stop);
  } finally {
    open.delete(path);
    closeSync(file.fd);
  }
}

/** Closes the temporary files that were never written (the set failed before they were). */
function closeAll(open: Map<string, { fd: number; start: number }>): void {
  for (const { fd } of open.values()) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }
  open.clear();
}

/**
 * Renames `temporary` over `target`, atomically, without the kernel freeing the file it replaces
 * inside the rename: a large file's blocks are freed by the call that removes its last name
 * (about 0.3 s in rename() for the reports of 1,000,500 principals, on the main thread, at the
 * end of the run). So the earlier file first gets a second, hidden name beside it (a hard link:
 * nothing is copied, and the report at `target` is the earlier one until the rename), and that
 * name is removed on Node's I/O threads while the run finishes (the process waits for it before
 * it exits). Where no hard link can be made (no earlier file, or a file system without them),
 * the rename frees the earlier file itself, as it would anyway.
 */
function replaceFile(temporary: string, target: string): void {
  const aside = linkedAside(target);
  try {
    renameSync(temporary, target);
  } catch (error) {
    if (aside) rmSync(aside, { force: true });
    throw error;
  }
  if (!aside) return;
  // A signal while it is being removed removes it too (see removedOnSignal).
  const forget = removedOnSignal(aside);
  unlink(aside, forget);
}

/** A second, hidden name of the file at `path` (see {@link replaceFile}), or undefined when none could be made. */
function linkedAside(path: string): string | undefined {
  const aside = temporaryPath(path);
  try {
    linkSync(path, aside);
    return aside;
  } catch {
    return undefined;
  }
}

/**
 * Writes a small file the same way (temporary file, then rename; devices and FIFOs in
 * place); on failure the temporary file is removed and an InputError names the file.
 * Reports use {@link writeFileSet}, which streams.
 */
export function writeFileAtomic(path: string, content: string): void {
  let temporary: string | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    const target = outputTarget(path);
    if (target.kind === 'in-place') {
      writeFileSync(target.fd ?? target.path, content);
      return;
    }
    temporary = temporaryPath(target.path);
    writeFileSync(temporary, content, { flag: 'wx' });
    renameSync(temporary, target.path);
  } catch (error) {
    if (temporary) rmSync(temporary, { force: true });
    throw writeError(path, error, []);
  }
}

/** A hidden name in the same folder (rename is atomic only within one file system). */
function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Streams to a device, FIFO or standard output: opened for writing, never replaced. */
async function writeInPlace(target: Extract<OutputTarget, { kind: 'in-place' }>, chunks: OutputChunks): Promise<void> {
  if (target.fd === undefined) return writeFileStreamed(target.path, chunks, 'w');
  const stream = createWriteStream('', { fd: target.fd, autoClose: false });
  try {
    await writeChunks(chunks, stream);
    await new Promise<void>((done, fail) => stream.end((error?: Error | null) => (error ? fail(error) : done())));
  } catch (error) {
    if (!isClosedPipe(error)) throw error;
  }
}

/** Streams to a device or FIFO (opened by name, for writing): its reader sets the pace. */
async function writeFileStreamed(path: string, chunks: OutputChunks, flags: 'w'): Promise<void> {
  const stream = createWriteStream(path, { flags });
  try {
    await Promise.race([once(stream, 'open'), once(stream, 'error')]);
    await writeChunks(chunks, stream);
    stream.end();
    await finished(stream);
  } catch (error) {
    stream.destroy();
    throw error;
  }
}

/** Removes a regular file (never a folder, link or device); true when something was removed. */
function removeFile(path: string): boolean {
  try {
    if (!lstatSync(path).isFile()) return false;
    rmSync(path, { force: true });
    return true;
  } catch {
    return false;
  }
}

const HINTS: Readonly<Record<string, string>> = {
  EISDIR: 'it is a folder: give a file name, or use --output-dir for a folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
};

function writeError(path: string, error: unknown, removed: readonly string[]): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const hint = code ? HINTS[code] : undefined;
  const reason = hint ? `${hint} (${code})` : error instanceof Error ? error.message : String(error);
  const note =
    removed.length > 0 ? `; removed the earlier ${removed.join(', ')} so that no report of an earlier run is taken for this one` : '';
  return new InputError([{ severity: 'error', file: path, message: `cannot write: ${reason}${note}` }], 'no report was written');
}
