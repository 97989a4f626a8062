/**
 * Broken networks on the live path, through the sandbox: a stalled request is aborted at its
 * deadline and retried, then that account fails while the others are reported (exit 3); a
 * reset or a 502 while listing the organisation is an incomplete scan (exit 3), not a usage
 * error; an HTML page instead of an AWS answer is described, not called "Unknown".
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSandbox, type OrgFixture, type SandboxFaults, type SandboxHandle } from '../../src/sandbox/index.js';
import { cli, tempDir } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

let box: SandboxHandle | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await box?.close();
  box = undefined;
});

const users = (count: number) => ({ generatedUsers: { count, seed: 5 } });
const fixture: OrgFixture = {
  managementAccountId: '111111111111',
  organizationId: 'o-network0001',
  accounts: [
    { id: '111111111111', name: 'management', report: users(1) },
    { id: '222222222222', name: 'stalled', report: users(2) },
    { id: '333333333333', name: 'fine', report: users(2) },
  ],
};

async function sandbox(faults: SandboxFaults): Promise<Record<string, string>> {
  box = await startSandbox({ fixture, faults });
  vi.stubEnv('AWS_ACCESS_KEY_ID', box.credentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', box.credentials.secretAccessKey);
  return { AWS_ENDPOINT_URL: box.endpoint, AWS_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '2', CREDWARDEN_REQUEST_TIMEOUT: '300ms' };
}

describe('stalled connections', () => {
  it.each(['GetCredentialReport', 'AssumeRole'])(
    'a stalled %s fails that account after its retries; the others are reported; exit 3',
    async (operation) => {
      const env = await sandbox({ stallOperations: [operation], stallAccounts: ['222222222222'] });
      const dir = tempDir();
      const out = join(dir, 'r.json');
      const { code, stderr } = await cli(['scan', '--org', '--account-context', 'none', '--format', 'json', '--output', out], { env });
      expect(code).toBe(3);
      expect(stderr).toMatch(/failed 222222222222 \(stalled\): .*no answer within the request timeout \(2 attempts\)/);
      const result = readResultText(readFileSync(out, 'utf8'));
      expect(Object.fromEntries(result.accounts.map((a) => [a.id, a.status]))).toEqual({
        '111111111111': 'scanned',
        '222222222222': 'failed',
        '333333333333': 'scanned',
      });
      // Retried: the stalled operation was sent twice for that account (AWS_MAX_ATTEMPTS=2).
      expect(box?.stats().stalled).toBe(2);
    },
  );

  it('--request-timeout is checked (exit 2) and cannot be combined with --from', async () => {
    const bad = await cli(['scan', '--org', '--request-timeout', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--request-timeout: error: 'soon' is not a duration");
    const conflict = await cli(['scan', '--from', 'examples/org', '--request-timeout', '1s']);
    expect(conflict.code).toBe(2);
  });
});

describe('organisation listing failures are an incomplete scan (exit 3) with the reason', () => {
  it('a connection reset while listing accounts', async () => {
    const env = await sandbox({ resetOperations: ['ListAccounts'] });
    const { code, stderr } = await cli(['scan', '--org', '--account-context', 'none', '--format', 'json'], { env });
    expect(code).toBe(3);
    expect(stderr).toMatch(
      /incomplete scan: cannot list the accounts to scan: the connection was reset before an answer came \(ECONNRESET\)/,
    );
    expect(stderr).not.toContain('hint: check the credentials');
    expect(stderr).not.toContain('--help');
  });

  it('an HTTP 502 page from a load balancer while listing accounts', async () => {
    const env = await sandbox({ htmlErrorOperations: { ListAccounts: 502 } });
    const { code, stderr } = await cli(['scan', '--org', '--account-context', 'none', '--format', 'json'], { env });
    expect(code).toBe(3);
    expect(stderr).toContain('HTTP 502');
    expect(stderr).toContain('text/html');
  });

  it('an HTML 500 on AssumeRole says what came back, not "Unknown"', async () => {
    const env = await sandbox({ htmlErrorOperations: { AssumeRole: 500 } });
    const { code, stderr } = await cli(['scan', '--org', '--account-context', 'none', '--format', 'json'], { env });
    expect(code).toBe(3);
    expect(stderr).toMatch(
      /failed 222222222222 \(stalled\): cannot assume .*: HTTP 500 Internal Server Error with a text\/html body that is not an AWS API answer/,
    );
    expect(stderr).not.toMatch(/: Unknown\b/);
  });
});
