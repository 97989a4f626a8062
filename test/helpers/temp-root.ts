/**
 * Vitest global setup: every temporary file of a test run goes into one folder of its own,
 * removed when the run ends. Tests create thousands of `credwarden-XXXXXX` folders (tempDir,
 * mkdtempSync, the CLI's spools, child processes of the binary); without this they stayed in
 * the system temp folder after every run. Test workers and the processes they start inherit
 * TMPDIR, so `os.tmpdir()` points into the run's folder everywhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'credwarden-test-run-'));
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
