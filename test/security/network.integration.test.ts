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

async function sandbox(faults: SandboxFaults, org: OrgFixture = fixture): Promise<Record<string, string>> {
  box = await startSandbox({ fixture: org, faults });
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

  it('--report-timeout is checked (exit 2)', async () => {
    const bad = await cli(['scan', '--org', '--report-timeout', 'later']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--report-timeout');
  });

  it('--request-timeout is checked (exit 2) and cannot be combined with --from', async () => {
    const bad = await cli(['scan', '--org', '--request-timeout', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--request-timeout: error: 'soon' is not a duration");
    const conflict = await cli(['scan', '--from', 'examples/org', '--request-timeout', '1s']);
    expect(conflict.code).toBe(2);
  });
});

/** Scans the organisation with `args` and measures how long the whole command took. */
async function timedScan(env: Record<string, string>, args: string[]) {
  const out = join(tempDir(), 'r.json');
  const started = Date.now();
  const run = await cli(['scan', '--org', '--account-context', 'none', '--format', 'json', '--output', out, ...args], { env });
  const statuses = Object.fromEntries(readResultText(readFileSync(out, 'utf8')).accounts.map((a) => [a.id, a.status]));
  return { ...run, seconds: (Date.now() - started) / 1000, statuses };
}

describe('--report-timeout bounds the whole report fetch of an account', () => {
  const expected = { '111111111111': 'scanned', '222222222222': 'failed', '333333333333': 'scanned' };

  // The default request timeout (30 s) and attempts (10) would wait 300 s and more on one account.
  it('a GetCredentialReport that never answers ends at the deadline, with the SDK retries and request timeout at their defaults', async () => {
    const env = await sandbox({ stallOperations: ['GetCredentialReport'], stallAccounts: ['222222222222'] });
    delete env.CREDWARDEN_REQUEST_TIMEOUT;
    delete env.AWS_MAX_ATTEMPTS;
    const { code, stderr, seconds, statuses } = await timedScan(env, ['--report-timeout', '2s']);
    expect(code).toBe(3);
    expect(statuses).toEqual(expected);
    expect(stderr).toMatch(
      /failed 222222222222 \(stalled\): no credential report within 2 s \(--report-timeout\): GetCredentialReport did not answer \(waited 2 s, 1 attempt\)/,
    );
    expect(seconds).toBeLessThan(12);
  }, 30_000);

  it('short request timeouts retried many times are cut off by the deadline too', async () => {
    const env = await sandbox({ stallOperations: ['GetCredentialReport'], stallAccounts: ['222222222222'] });
    env.AWS_MAX_ATTEMPTS = '100';
    const { code, stderr, seconds, statuses } = await timedScan(env, ['--report-timeout', '2s']);
    expect(code).toBe(3);
    expect(statuses).toEqual(expected);
    expect(stderr).toMatch(
      /failed 222222222222 \(stalled\): no credential report within 2 s .*GetCredentialReport did not answer \(waited 2 s, \d+ attempts\)/,
    );
    expect(seconds).toBeLessThan(12);
  }, 30_000);

  // A byte every 100 ms: the socket is never idle for the request timeout, and the answer never ends in time.
  it('an answer that trickles in a byte at a time is abandoned at the deadline', async () => {
    const env = await sandbox({ trickleOperations: ['GetCredentialReport'], trickleIntervalMs: 100, stallAccounts: ['222222222222'] });
    env.CREDWARDEN_REQUEST_TIMEOUT = '1s';
    const { code, stderr, seconds, statuses } = await timedScan(env, ['--report-timeout', '3s']);
    expect(code).toBe(3);
    expect(statuses).toEqual(expected);
    expect(stderr).toMatch(
      /failed 222222222222 \(stalled\): no credential report within 3 s \(--report-timeout\): GetCredentialReport did not answer/,
    );
    expect(box?.stats().trickled).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThan(13);
  }, 30_000);

  const withoutReport = (faults: OrgFixture['accounts'][number]['faults'] = {}): OrgFixture => ({
    ...fixture,
    accounts: fixture.accounts.map((a) => (a.id === '222222222222' ? { ...a, report: { ...users(2), state: 'absent' }, faults } : a)),
  });

  it('a GenerateCredentialReport that never answers (no report yet) ends at the deadline', async () => {
    const env = await sandbox({ stallOperations: ['GenerateCredentialReport'], stallAccounts: ['222222222222'] }, withoutReport());
    delete env.CREDWARDEN_REQUEST_TIMEOUT;
    const { code, stderr, seconds, statuses } = await timedScan(env, ['--report-timeout', '2s']);
    expect(code).toBe(3);
    expect(statuses).toEqual(expected);
    expect(stderr).toMatch(/failed 222222222222 \(stalled\): no credential report within 2 s .*GenerateCredentialReport did not answer/);
    expect(seconds).toBeLessThan(12);
  }, 30_000);

  it('a generation that never completes ends at the deadline with the polls', async () => {
    const env = await sandbox({}, withoutReport({ reportNeverCompletes: true }));
    const { code, stderr, seconds, statuses } = await timedScan(env, ['--report-timeout', '2s']);
    expect(code).toBe(3);
    expect(statuses).toEqual(expected);
    expect(stderr).toMatch(/failed 222222222222 \(stalled\): credential report not ready after 2 s \(--report-timeout\)/);
    expect(seconds).toBeLessThan(12);
  }, 30_000);
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
