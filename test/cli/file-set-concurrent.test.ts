/**
 * The files of a report set are written at the same time (writeFileSet): the temporary files on
 * Node's I/O threads, spooled accounts read by the writer itself from the spool files (as ranges,
 * Spool.pieces) straight into its write buffers. The bytes are those of the joined spool; a file
 * that fails stops the others, is the one named, and nothing of the set is left behind.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/index.js';
import { writeChunks, writeFileSet } from '../../src/cli/io.js';
import { isSpooledBytes, Spool, SpoolFolder } from '../../src/cli/spool.js';
import { tempDir } from '../helpers/cli.js';

/** What Spool.joined gives (each piece copied as it comes: it is only valid until the next). */
function joinedBytes(spool: Spool, separator: string): Buffer {
  return Buffer.concat(Array.from(spool.joined(separator), (piece) => Buffer.from(piece)));
}

/** A spool with accounts out of order, some of them in a worker thread's spool file, several past the 1 MiB write buffer. */
function mixedSpool(folder: SpoolFolder): Spool {
  const workerPath = join(folder.dir, 'worker-0-0.spool');
  const worker = new Spool(workerPath);
  const adopted = ['b', 'd', 'e'].map((id, i) => [id, worker.append(id, [`${id}:`, 'é😀'.repeat(150_000 * (i + 1))])] as const);
  worker.detach();
  const spool = folder.create();
  spool.append('c', ['c:', '€'.repeat(500_000)]);
  for (const [id, range] of adopted) spool.adopt(id, workerPath, range as { start: number; length: number });
  spool.append('a', ['a:', 'x'.repeat(2_500_000)]);
  spool.append('f', ['f:\ud83d', '\ude00']);
  return spool;
}

describe('a report set written at the same time', () => {
  it('writes every file of the set before any is done: a file waiting for another one is not a deadlock', async () => {
    const dir = tempDir();
    let secondDone: () => void = () => undefined;
    const second = new Promise<void>((done) => (secondDone = done));
    await writeFileSet([
      {
        path: join(dir, 'first.txt'),
        chunks: (async function* () {
          yield 'first, ';
          // Written one after the other, the second file would only be begun after this one ends.
          await second;
          yield 'after the second';
        })(),
      },
      {
        path: join(dir, 'second.txt'),
        chunks: (function* () {
          yield 'second';
          secondDone();
        })(),
      },
    ]);
    expect(readFileSync(join(dir, 'first.txt'), 'utf8')).toBe('first, after the second');
    expect(readFileSync(join(dir, 'second.txt'), 'utf8')).toBe('second');
  });

  it('copies the spooled accounts from the spool files, byte for byte, in account-id order; a spool may go once the piece after its last is asked', async () => {
    const folder = new SpoolFolder();
    const dir = tempDir();
    try {
      const spool = mixedSpool(folder);
      const want = Buffer.concat([Buffer.from('{"head":1,\n'), joinedBytes(spool, ',\n'), Buffer.from('\n}')]);
      let released = false;
      const path = join(dir, 'report.json');
      await writeFileSet([
        {
          path,
          chunks: (function* () {
            yield '{"head":1,\n';
            yield* spool.pieces(',\n');
            // Every spooled byte is read by now: the spool's files can go before the tail is written.
            spool.close();
            released = true;
            yield '\n}';
          })(),
        },
        { path: join(dir, 'small.txt'), chunks: ['small'] },
      ]);
      expect(released).toBe(true);
      // Buffer.equals: a failing toEqual would print megabytes.
      expect(readFileSync(path).equals(want)).toBe(true);
      expect(readFileSync(join(dir, 'small.txt'), 'utf8')).toBe('small');
      expect(readdirSync(dir).sort()).toEqual(['report.json', 'small.txt']);
    } finally {
      folder.remove();
    }
  });

  it('gives accounts that lie one after the other in a spool file, with nothing between them in the report, as one range', () => {
    const folder = new SpoolFolder();
    try {
      const spool = folder.create();
      for (const id of ['a', 'b', 'c']) spool.append(id, [`${id}\n`]);
      spool.append('0', ['0\n']);
      const pieces = [...spool.pieces('')];
      // '0' came last: it is apart from the run of a, b and c, which is read at once.
      expect(pieces).toEqual([expect.objectContaining({ start: 6, length: 2 }), expect.objectContaining({ start: 0, length: 6 })]);
      // With a separator, each account is its own range, the separator between them as text.
      expect([...spool.pieces(',')].map((p) => (isSpooledBytes(p) ? p.length : p))).toEqual([2, ',', 2, ',', 2, ',', 2]);
      expect([...spool.pieces(',', 2)].map((p) => (isSpooledBytes(p) ? p.start : p))).toEqual([',', 2, ',', 4]);
    } finally {
      folder.remove();
    }
  });

  it('streams spooled pieces to a device, FIFO or standard output (read through one buffer) as the same bytes', async () => {
    const folder = new SpoolFolder();
    try {
      const spool = mixedSpool(folder);
      const stream = new PassThrough();
      const received: Buffer[] = [];
      stream.on('data', (bytes: Buffer) => received.push(bytes));
      await writeChunks(spool.pieces('|'), stream);
      stream.end();
      expect(Buffer.concat(received).equals(joinedBytes(spool, '|'))).toBe(true);
    } finally {
      folder.remove();
    }
  });

  it('stops the other files when one fails, names it, and leaves no file of the set behind', async () => {
    const dir = tempDir();
    const earlier = join(dir, 'credwarden.json');
    writeFileSync(earlier, 'an earlier run');
    let pulled = 0;
    const failing = join(dir, 'credwarden.sarif');
    const error = await writeFileSet([
      {
        path: earlier,
        chunks: (function* () {
          for (; pulled < 64; pulled++) yield 'x'.repeat(1 << 20);
        })(),
      },
      {
        path: failing,
        chunks: (function* () {
          yield 'begun';
          throw new Error('the sink broke');
        })(),
      },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).diagnostics[0]).toMatchObject({ file: failing, message: expect.stringContaining('the sink broke') });
    // The first file stopped at its next batch instead of being written whole for nothing.
    expect(pulled).toBeLessThan(8);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names the file whose spool was cut short, and writes no short report', async () => {
    const folder = new SpoolFolder();
    const dir = tempDir();
    try {
      const spool = folder.create();
      spool.append('a', ['x'.repeat(100)]);
      writeFileSync(join(folder.dir, '0.spool'), 'x'.repeat(10));
      const path = join(dir, 'report.csv');
      const error = await writeFileSet([{ path, chunks: spool.pieces() }]).catch((e: unknown) => e);
      expect((error as InputError).diagnostics[0]).toMatchObject({
        file: path,
        message: expect.stringMatching(/spool ended before its accounts did/),
      });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      folder.remove();
    }
  });
});
