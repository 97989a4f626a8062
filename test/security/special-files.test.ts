/**
 * Inputs that are not regular files (issue 20 item 6): a FIFO with no writer hung diff, trend,
 * merge, plan and publish; `/dev/zero` as a result, config, waivers, report or account list
 * used gigabytes. Every reader opens its input through src/collectors/files/input.ts, which
 * refuses anything but a regular file and counts bytes as it reads them.
 *
 * Runs the built binary (npm run build) with a deadline: a hang must fail the test, not the suite.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.js';
import { readInputFile } from '../../src/collectors/files/input.js';
import { InputError } from '../../src/model/index.js';

// Generous: a start of the binary takes seconds on a loaded machine; a hang is what must fail.
const DEADLINE_MS = 60_000;
const hasDevZero = existsSync('/dev/zero');
let dir = '';
let result = '';
let fifo = '';

beforeAll(async () => {
  dir = tempDir();
  result = join(dir, 'result.json');
  const scan = await cli(['scan', '--from', 'examples/org', '--format', 'json', '-o', result, '--quiet']);
  expect(scan.stderr).toBe('');
  fifo = join(dir, 'no-writer.json');
  execFileSync('mkfifo', [fifo]);
});

interface BinaryRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
}

function binary(args: string[]): Promise<BinaryRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/credwarden.js', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: DEADLINE_MS,
      killSignal: 'SIGKILL',
      // A runaway read must not take the machine: the test fails on the memory limit instead.
      env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=256' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr, ms: Date.now() - started }));
  });
}

function expectRefused(run: BinaryRun, kind: RegExp): void {
  expect(run.signal, `killed after ${run.ms} ms: ${run.stderr}`).toBeNull();
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(kind);
  expect(run.stderr).toContain('credwarden reads only regular files');
  expect(run.stderr).not.toMatch(/at .*\(|Unhandled/);
}

describe('a FIFO with no writer is refused at once, never waited on', () => {
  it.each([
    [['diff', 'RESULT', 'FIFO']],
    [['trend', 'RESULT', 'FIFO']],
    [['merge', 'FIFO']],
    [['plan', 'FIFO']],
    [['publish', 'securityhub', 'FIFO', '--dry-run']],
    [['scan', '--from', 'examples/org', '--baseline', 'FIFO']],
  ])('%j', { timeout: DEADLINE_MS + 10_000 }, async (args) => {
    expectRefused(await binary(args.map((a) => (a === 'RESULT' ? result : a === 'FIFO' ? fifo : a))), /FIFO/);
  });
});

describe.skipIf(!hasDevZero)('/dev/zero is refused before a byte is read', () => {
  it.each([
    [['diff', 'RESULT', '/dev/zero']],
    [['scan', '--from', '/dev/zero']],
    [['scan', '--from', 'examples/org', '--waivers', '/dev/zero']],
    [['scan', '--from', 'examples/org', '--config', '/dev/zero']],
    [['scan', '--org', '--accounts-file', '/dev/zero', '--region', 'us-east-1']],
  ])('%j', { timeout: DEADLINE_MS + 10_000 }, async (args) => {
    expectRefused(await binary(args.map((a) => (a === 'RESULT' ? result : a))), /character device/);
  });
});

describe('readInputFile counts bytes as it reads them', () => {
  it('refuses a file past its limit, naming the file and the limit', () => {
    const big = join(tempDir(), 'big.yaml');
    writeFileSync(big, 'x'.repeat(2048));
    expect(readInputFile(big, 'waivers file', 'big.yaml', { maxBytes: 2048 })).toHaveLength(2048);
    let error: unknown;
    try {
      readInputFile(big, 'waivers file', 'big.yaml', { maxBytes: 2047 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).diagnostics).toEqual([
      expect.objectContaining({ file: 'big.yaml', message: 'waivers file is larger than 2 KiB, the most credwarden reads for it' }),
    ]);
  });
});
