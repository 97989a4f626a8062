/** `credwarden … | head`: a reader that goes away is not a crash (runs the built binary: npm run build). */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';

// Several megabytes of output, far more than a pipe buffers, so the CLI is still writing when the reader leaves.
let report = '';
beforeAll(() => {
  const [header, root, user] = readFileSync('examples/org/222222222222-payments-prod.2026-11-01T120000Z.csv', 'utf8').split('\n');
  const users = Array.from({ length: 3000 }, (_, i) => (user as string).replace(/deploy-bot/g, `deploy-bot-${i}`));
  report = join(tempDir(), '222222222222-big.2026-11-01T120000Z.csv');
  writeFileSync(report, [header, root, ...users].join('\n'));
});

function runUntilFirstChunk(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/credwarden.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Like `head -c 1`: read one chunk, then close the pipe while the CLI is still writing.
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('closed stdout pipe', () => {
  it("exits quietly with the run's own exit code, not a crash with exit 1", async () => {
    const ok = await runUntilFirstChunk(['scan', '--from', report, '--format', 'json', '--fail-on', 'none']);
    expect(ok.stderr).not.toMatch(/EPIPE|Unhandled|at .*\(/);
    expect(ok.code).toBe(0);
    const gated = await runUntilFirstChunk(['scan', '--from', report, '--format', 'json', '--fail-on', 'critical']);
    expect(gated.code).toBe(1);
    expect(gated.stderr).not.toMatch(/EPIPE/);
  });
});
