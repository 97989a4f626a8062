/**
 * The spool keeps each account's report chunks as UTF-8 on disk and gives them back in
 * account-id order, as bytes (files) or text (stdout, binary formats); ByteBatch encodes the
 * chunks without joining them. Every byte must be what encoding the joined text gives, however
 * the pieces fall on batch boundaries: multi-byte and astral characters, surrogate pairs split
 * between two chunks, lone surrogates.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ByteBatch } from '../../src/cli/byte-batch.js';
import { Spool, SpoolFolder } from '../../src/cli/spool.js';
import { writeChunks } from '../../src/cli/io.js';
import { PassThrough } from 'node:stream';

/** What the old writer gave: each run of text pieces joined, then encoded; bytes as they are. */
function expected(pieces: readonly (string | Uint8Array)[]): Buffer {
  const parts: Buffer[] = [];
  let text = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') text += piece;
    else {
      parts.push(Buffer.from(text, 'utf8'), Buffer.from(piece));
      text = '';
    }
  }
  parts.push(Buffer.from(text, 'utf8'));
  return Buffer.concat(parts);
}

/** A small deterministic generator (tests must give the same pieces every run). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const ALPHABET = ['a', 'é', '€', '😀', '\u{10FFFF}', '\ud83d', '\ude00', '\n', 'ß', '𝒳'];

function randomText(next: () => number, length: number): string {
  let text = '';
  while (text.length < length) text += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return text;
}

function batched(pieces: readonly (string | Uint8Array)[], size: number, retains: boolean): Buffer {
  const out: Buffer[] = [];
  const batch = new ByteBatch(size, (bytes) => out.push(retains ? bytes : Buffer.from(bytes)), retains);
  for (const piece of pieces) batch.add(piece);
  batch.end();
  // With `retains`, the emitted buffers are kept as given: a later batch must not have overwritten them.
  return Buffer.concat(out);
}

describe('ByteBatch', () => {
  it('encodes a surrogate pair split between two pieces as one character, at any batch size', () => {
    const face = '😀';
    const pieces = ['ab', face.slice(0, 1), face.slice(1), 'c'];
    for (const size of [4, 5, 6, 7, 64]) {
      expect(batched(pieces, size, false)).toEqual(Buffer.from('ab😀c'));
      expect(batched(pieces, size, true)).toEqual(Buffer.from('ab😀c'));
    }
  });

  it('writes lone surrogates as U+FFFD, as Buffer.from does, also at the end and before bytes', () => {
    const pieces = ['x\ud800', Buffer.from([1, 2]), '\udc00y\ud83d'];
    expect(batched(pieces, 16, false)).toEqual(expected(pieces));
    expect(batched(pieces, 16, false).toString('hex')).toBe('78efbfbd0102efbfbd79efbfbd');
  });

  it('gives the bytes of the joined text for random pieces of multi-byte and astral text and bytes', () => {
    const next = random(7);
    for (let round = 0; round < 100; round++) {
      const pieces: (string | Uint8Array)[] = [];
      const count = 1 + Math.floor(next() * 12);
      for (let i = 0; i < count; i++) {
        if (next() < 0.15) pieces.push(Buffer.from(randomText(next, Math.floor(next() * 40))));
        else pieces.push(randomText(next, Math.floor(next() * 60)));
      }
      const size = 4 + Math.floor(next() * 40);
      const want = expected(pieces);
      expect(batched(pieces, size, false)).toEqual(want);
      expect(batched(pieces, size, true)).toEqual(want);
    }
  });
});

describe('Spool', () => {
  it('gives each account its exact bytes in account-id order, whatever the arrival order and batch boundaries', () => {
    const folder = new SpoolFolder();
    try {
      const spool = folder.create();
      // Long enough to cross the spool's write batches and read buffer, with astral characters on the edges.
      const big = '😀'.repeat(200_000) + 'é'.repeat(300_001) + '\ud83d';
      const accounts: Record<string, string[]> = {
        '333333333333': ['z', big.slice(0, 99_999), big.slice(99_999)],
        '111111111111': ['é€', '\ud83d', '\ude00', 'tail'],
        '222222222222': [],
        '000000000000': ['a'.repeat(1 << 20), '𝒳'],
      };
      for (const id of ['333333333333', '222222222222', '111111111111', '000000000000']) {
        const range = spool.append(id, accounts[id] as string[]);
        if (id === '222222222222') expect(range).toBeUndefined();
      }
      const want = Buffer.concat(
        ['000000000000', '111111111111', '333333333333'].flatMap((id, i) => [
          ...(i > 0 ? [Buffer.from(',\n')] : []),
          Buffer.from((accounts[id] as string[]).join(''), 'utf8'),
        ]),
      );
      // Each piece is only valid until the next: copy it as it comes, as a writer writes it.
      const bytes = () => Buffer.concat(Array.from(spool.joined(',\n'), (piece) => Buffer.from(piece)));
      // Buffer.equals: a failing toEqual would print megabytes.
      expect(bytes().equals(want)).toBe(true);
      expect([...spool.joinedText(',\n')].join('') === want.toString('utf8')).toBe(true);
      // A second pass (a binary format reads its rows twice) gives the same.
      expect(bytes().equals(want)).toBe(true);
    } finally {
      folder.remove();
    }
  });

  it('reads accounts spooled in order together, and mixed runs of in-order and out-of-order accounts, byte for byte', () => {
    const folder = new SpoolFolder();
    try {
      const spool = folder.create();
      const next = random(11);
      // In order (read together, past the 1 MiB read buffer), then out of order, then in order again.
      const ids = ['a00', 'a01', 'a02', 'a03', 'a04', 'z09', 'm05', 'q07', 'b00', 'b01', 'b02'];
      const texts = new Map(ids.map((id) => [id, randomText(next, Math.floor(next() * 400_000))]));
      for (const id of ids) spool.append(id, [texts.get(id) as string]);
      const want = [...ids].sort().map((id) => texts.get(id) as string);
      const bytes = Buffer.concat(Array.from(spool.joined('\n'), (piece) => Buffer.from(piece)));
      expect(bytes.equals(Buffer.from(want.join('\n')))).toBe(true);
    } finally {
      folder.remove();
    }
  });

  it("joins a worker thread's spool file with its own accounts in account-id order", () => {
    const folder = new SpoolFolder();
    try {
      const worker = new Spool(join(folder.dir, 'worker-0-0.spool'));
      const b = worker.append('b', ['Bé', '😀']);
      const d = worker.append('d', ['D']);
      worker.detach();
      const main = folder.create();
      main.append('c', ['C']);
      main.adopt('d', join(folder.dir, 'worker-0-0.spool'), d as { start: number; length: number });
      main.append('a', ['A']);
      main.adopt('b', join(folder.dir, 'worker-0-0.spool'), b as { start: number; length: number });
      expect([...main.joinedText('|')].join('')).toBe('A|Bé😀|C|D');
    } finally {
      folder.remove();
    }
  });

  it("releases a report's spool files, its own and the worker threads' it adopted, once read; the folder goes after", async () => {
    const folder = new SpoolFolder();
    const workerPath = join(folder.dir, 'worker-0-0.spool');
    const worker = new Spool(workerPath);
    const b = worker.append('b', ['B']);
    worker.detach();
    const main = folder.create();
    const other = folder.create();
    main.append('a', ['A']);
    main.adopt('b', workerPath, b as { start: number; length: number });
    other.append('c', ['C']);
    expect(Buffer.concat(Array.from(main.joined('|'), (piece) => Buffer.from(piece))).toString()).toBe('A|B');
    await main.release();
    // Only the other report's spool is left; it still reads.
    expect(readdirSync(folder.dir)).toEqual(['1.spool']);
    expect([...other.joinedText()].join('')).toBe('C');
    folder.release(other);
    await folder.removed();
    expect(existsSync(folder.dir)).toBe(false);
    // Closing a released spool again (as removing a folder does) closes nothing twice.
    expect(() => main.close()).not.toThrow();
  });

  it('says so when a spool file was cut short, instead of writing a short report', () => {
    const folder = new SpoolFolder();
    try {
      const spool = folder.create();
      spool.append('a', ['x'.repeat(100)]);
      writeFileSync(join(folder.dir, '0.spool'), 'x'.repeat(10));
      expect(() => [...spool.joined()]).toThrow(/spool ended before its accounts did/);
    } finally {
      folder.remove();
    }
  });
});

describe('writeChunks', () => {
  it("streams text and a spool's reused byte views without mixing them up", async () => {
    const folder = new SpoolFolder();
    try {
      const spool = folder.create();
      const texts = ['ü'.repeat(700_000), '😀'.repeat(300_000), 'plain'];
      texts.forEach((text, i) => spool.append(String(i), [text]));
      const stream = new PassThrough();
      const received: Buffer[] = [];
      stream.on('data', (bytes: Buffer) => received.push(bytes));
      await writeChunks(
        (function* () {
          yield 'head\ud83d';
          yield '\ude00';
          yield* spool.joined(',');
          yield 'tail';
        })(),
        stream,
      );
      stream.end();
      expect(Buffer.concat(received).toString('utf8') === `head😀${texts.join(',')}tail`).toBe(true);
    } finally {
      folder.remove();
    }
  });
});
