import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './cli.js';
import setup from './temp-root.js';

const outer = process.env.TMPDIR;
afterEach(() => {
  if (outer === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = outer;
});

describe('the test run temporary folder (vitest global setup)', () => {
  it('this worker already writes its temporary folders inside the run folder', () => {
    expect(dirname(tempDir())).toBe(tmpdir());
    expect(tmpdir()).toMatch(/credwarden-test-run-[A-Za-z0-9]{6}$/);
  });

  it('points TMPDIR at a new folder, then removes it with everything inside and restores TMPDIR', () => {
    const teardown = setup();
    const root = tmpdir();
    expect(root).not.toBe(outer);
    expect(dirname(root)).toBe(outer ?? dirname(root));
    const made = mkdtempSync(join(tmpdir(), 'credwarden-'));
    writeFileSync(join(made, 'spool.jsonl'), 'data');
    teardown();
    expect(existsSync(made)).toBe(false);
    expect(existsSync(root)).toBe(false);
    expect(process.env.TMPDIR).toBe(outer);
  });
});
