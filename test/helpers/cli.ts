import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/run.js';
import type { CliIO } from '../../src/cli/io.js';

/** The outcome of one CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output, in `cwd` (default: the repository). */
export async function cli(
  argv: string[],
  options: { cwd?: string; env?: Record<string, string>; tty?: boolean; now?: Date } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    stdoutIsTTY: options.tty ?? false,
    stderrIsTTY: options.tty ?? false,
    now: () => options.now ?? new Date('2026-11-02T00:00:00Z'),
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

/** A fresh temporary folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'credwarden-'));
}
