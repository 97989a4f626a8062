/**
 * A report file written while the scan runs (EarlyFile): it takes the spooled accounts that come
 * before the frontier, in account-id order, and the rest at the end; the file is the same bytes as
 * one written whole. An account that comes before one already written makes it give up (the file
 * is then written whole), and a discarded file leaves nothing behind, not even the folder it made.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { EarlyFile } from '../../src/cli/early-file.js';
import { startFile, writeFileSet } from '../../src/cli/io.js';
import { SpoolFolder, type Spool } from '../../src/cli/spool.js';
import { tempDir } from '../helpers/cli.js';

/** A spool of one run, and a file begun in a folder that does not exist yet. */
function setUp(): { spools: SpoolFolder; spool: Spool; dir: string; path: string } {
  const spools = new SpoolFolder();
  const dir = join(tempDir(), 'out', 'nested');
  return { spools, spool: spools.create(), dir, path: join(dir, 'report.csv') };
}

/** Finishes a begun file as the report writer does: the accounts not yet written, then the tail. */
async function finish(early: EarlyFile, spool: Spool, path: string, separator: string): Promise<number | undefined> {
  const written = early.writtenOf(spool.ordered());
  if (written === undefined) return undefined;
  await writeFileSet([{ path, started: early.file, chunks: [...spool.joined(separator, written), 'TAIL\n'].map((b) => Buffer.from(b)) }]);
  return written;
}

describe('a report written as its accounts come', () => {
  it.each([
    ['no separator', ''],
    ['a separator', ',\n'],
  ])('writes the same bytes as a whole file, with %s', async (_name, separator) => {
    const { spools, spool, path } = setUp();
    const accounts = { '111': 'one\n', '222': 'two €\n', '333': 'three\n', '444': 'four 😀\n' };
    spool.append('222', [accounts['222']]);
    const started = startFile(path);
    expect(started).toBeDefined();
    const early = new EarlyFile(started!, spool, separator, ['HEAD\n']);
    early.advance('111');
    spool.append('111', [accounts['111']]);
    early.advance('333');
    spool.append('444', [accounts['444']]);
    early.advance('333');
    spool.append('333', [accounts['333']]);
    expect(readFileSync(started!.temporary, 'utf8')).toBe(`HEAD\n${accounts['111']}${separator}${accounts['222']}`);
    early.advance(undefined);
    expect(await finish(early, spool, path, separator)).toBe(4);
    expect(readFileSync(path, 'utf8')).toBe(`HEAD\n${Object.values(accounts).join(separator)}TAIL\n`);
    expect(readdirSync(join(path, '..'))).toEqual(['report.csv']);
    spools.remove();
  });

  it('gives up when an account comes before one already written, so that the file is written whole', () => {
    const { spools, spool, dir, path } = setUp();
    spool.append('222', ['two\n']);
    const early = new EarlyFile(startFile(path)!, spool, '', ['HEAD\n']);
    early.advance('333');
    spool.append('111', ['one\n']);
    early.advance(undefined);
    expect(early.writtenOf(spool.ordered())).toBeUndefined();
    early.discard();
    expect(existsSync(path)).toBe(false);
    expect(existsSync(join(dir, '..'))).toBe(false);
    spools.remove();
  });

  it('reads the accounts back through one buffer at every advance, not a new one each time', () => {
    const { spools, spool, path } = setUp();
    const early = new EarlyFile(startFile(path)!, spool, '\n', ['HEAD\n']);
    // One account larger than the read buffer (1 MiB), so that it is read in pieces through it.
    const accounts = ['one', 'x'.repeat(1_500_000), 'three', 'four'];
    const allocated = vi.spyOn(Buffer, 'allocUnsafeSlow');
    try {
      accounts.forEach((text, i) => {
        spool.append(`${i + 1}`.repeat(3), [text]);
        early.advance(`${i + 2}`.repeat(3));
      });
      // The spool's own batch of the appends is the only kind of buffer made: no read buffer per advance.
      expect(allocated).not.toHaveBeenCalled();
    } finally {
      allocated.mockRestore();
    }
    expect(readFileSync(early.file.temporary, 'utf8')).toBe(`HEAD\n${accounts.join('\n')}`);
    early.discard();
    spools.remove();
  });

  it('is not begun on a device, which is written in place', () => {
    expect(startFile('/dev/null')).toBeUndefined();
  });
});

describe('a begun report file when a signal ends the scan', () => {
  it('Ctrl-C removes the temporary files and the output folders starting them made', async () => {
    // The built module (as the binary runs it) in a process of its own: the handler re-raises the signal.
    const io = pathToFileURL(resolve(import.meta.dirname, '../../dist/src/cli/io.js')).href;
    const dir = tempDir();
    const script = `
      import { writeSync } from 'node:fs';
      import { startFile } from ${JSON.stringify(io)};
      const first = startFile(${JSON.stringify(join(dir, 'out/nested/credwarden.csv'))});
      const second = startFile(${JSON.stringify(join(dir, 'out/nested/credwarden-targets.csv'))});
      if (!first?.createdDir || !second || second.createdDir) throw new Error('set-up: the first file makes the folders');
      writeSync(first.fd, 'half a report');
      process.kill(process.pid, 'SIGINT');
      setTimeout(() => {}, 10_000);`;
    const ended = await new Promise<{ code: number | null; signal: string | null }>((done) => {
      const child = execFile(process.execPath, ['--input-type=module', '-e', script]);
      child.on('exit', (code, signal) => done({ code, signal }));
    });
    expect(ended).toEqual({ code: null, signal: 'SIGINT' });
    expect(readdirSync(dir)).toEqual([]);
  });
});
