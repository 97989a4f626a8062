/**
 * Output noise (issue 21 item 7): the AWS SDK's Node-version warning and the order of progress
 * lines, seen as a user sees them, on the built binary's stderr. Needs `npm run build`.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FIXTURE_PATH, loadFixture, startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { tempDir } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);
const WARNING = /NodeVersionSupportWarning/g;

let box: SandboxHandle | undefined;
beforeAll(async () => {
  box = await startSandbox({ fixture: loadFixture(join(ROOT, DEMO_FIXTURE_PATH)) });
});
afterAll(async () => {
  await box?.close();
});

/** Runs the binary against the sandbox; resolves with its exit code and stderr. */
async function credwarden(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  const sandbox = box as SandboxHandle;
  return exec(process.execPath, [join(ROOT, 'bin/credwarden.js'), ...args], {
    cwd: tempDir(),
    env: {
      PATH: process.env.PATH ?? '',
      NO_COLOR: '1',
      AWS_ENDPOINT_URL: sandbox.endpoint,
      AWS_ACCESS_KEY_ID: sandbox.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.credentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      ...env,
    },
  }).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );
}

const PUBLISH = ['publish', 'securityhub', join(ROOT, 'reports/examples/credwarden.json'), '--role-name', 'OrganizationAccountAccessRole'];

describe('output noise', { timeout: 180_000 }, () => {
  it('a live scan: no SDK Node-version warning, and "scanning N accounts" before any account line', async () => {
    const run = await credwarden(['scan', '--org', '--format', 'json', '--output', 'r.json', '--fail-on', 'none']);
    expect(run.stderr.match(WARNING)).toBeNull();
    const lines = run.stderr.split('\n');
    const scanning = lines.findIndex((l) => /^credwarden: scanning \d+ accounts?/.test(l));
    const firstAccount = lines.findIndex((l) => /^credwarden: \[\d+/.test(l));
    expect(scanning).toBeGreaterThanOrEqual(0);
    expect(firstAccount).toBeGreaterThan(scanning);
  });

  it('publish: no SDK Node-version warning either', async () => {
    const run = await credwarden(PUBLISH);
    expect([0, 3]).toContain(run.code);
    expect(run.stderr).toMatch(/credwarden/);
    expect(run.stderr.match(WARNING)).toBeNull();
  });

  // The SDK warns only below Node 22: there, asking for the warning shows it, once.
  it.runIf(Number(process.versions.node.split('.')[0]) < 22)('asked for, the warning is shown once per run', async () => {
    const run = await credwarden(PUBLISH, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' });
    expect(run.stderr.match(WARNING)).toHaveLength(1);
  });
});
