/**
 * A set of report files written over an earlier run's (writeFileSet): each earlier file is
 * replaced atomically, and the hidden second name it gets so that its blocks are freed off the
 * main thread (replaceFile in src/cli/io.ts) is gone once the run has finished.
 */
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileSet } from '../../src/cli/io.js';
import { tempDir } from '../helpers/cli.js';

/** The folder's names, once the I/O threads have removed what they were given (at most a few seconds). */
async function settledNames(dir: string, expected: readonly string[]): Promise<string[]> {
  for (let i = 0; i < 200 && readdirSync(dir).length > expected.length; i++) await new Promise((done) => setTimeout(done, 10));
  return readdirSync(dir).sort();
}

describe('a report set written over an earlier one', () => {
  it('replaces every file, and leaves no other name of the earlier files behind', async () => {
    const dir = tempDir();
    const paths = ['credwarden.json', 'credwarden.csv'].map((name) => join(dir, name));
    for (const path of paths) writeFileSync(path, `earlier ${path}\n`.repeat(10_000));
    const reader = openSync(paths[0]!, 'r');
    await writeFileSet(paths.map((path) => ({ path, chunks: [`new ${path}\n`] })));
    for (const path of paths) expect(readFileSync(path, 'utf8')).toBe(`new ${path}\n`);
    expect(await settledNames(dir, paths)).toEqual(['credwarden.csv', 'credwarden.json']);
    // The earlier file has no name left, and a reader that had it open still reads it whole.
    expect(fstatSync(reader).nlink).toBe(0);
    const earlier = Buffer.alloc(64);
    expect(earlier.subarray(0, readSync(reader, earlier, 0, 64, 0)).toString()).toBe(`earlier ${paths[0]}\n`.repeat(10).slice(0, 64));
    closeSync(reader);
  });

  it('writes a first set (no earlier file) as before', async () => {
    const dir = tempDir();
    const path = join(dir, 'nested', 'credwarden.md');
    await writeFileSet([{ path, chunks: ['# report\n'] }]);
    expect(readFileSync(path, 'utf8')).toBe('# report\n');
    expect(await settledNames(join(dir, 'nested'), ['credwarden.md'])).toEqual(['credwarden.md']);
  });
});
