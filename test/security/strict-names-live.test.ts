/**
 * `--strict-names` on a live scan: a credential report with a row IAM could not have written
 * (a look-alike name with a zero-width space, a name of 100 000 characters) refuses the scan
 * with exit 2, naming the account and the row, as it does for a saved report; without the
 * flag the row is a warning and the scan goes on.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSandbox, type OrgFixture, type SandboxHandle } from '../../src/sandbox/index.js';
import { cli } from '../helpers/cli.js';
import { reportCsv } from '../collectors/aws/helpers.js';

let box: SandboxHandle | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await box?.close();
  box = undefined;
});

const fixture: OrgFixture = {
  managementAccountId: '111111111111',
  organizationId: 'o-strictnames1',
  accounts: [
    { id: '111111111111', name: 'management', report: { generatedUsers: { count: 2, seed: 3 } } },
    // Line 3 is a look-alike of "admin" (U+200B); line 4 is plain.
    { id: '222222222222', name: 'tampered', report: { csv: reportCsv('222222222222', { users: ['admin\u200b', 'deploy'] }) } },
    { id: '333333333333', name: 'fine', report: { generatedUsers: { count: 2, seed: 4 } } },
  ],
};

async function sandbox(): Promise<Record<string, string>> {
  box = await startSandbox({ fixture });
  vi.stubEnv('AWS_ACCESS_KEY_ID', box.credentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', box.credentials.secretAccessKey);
  return { AWS_ENDPOINT_URL: box.endpoint, AWS_REGION: 'us-east-1' };
}

const scan = ['scan', '--org', '--account-context', 'none', '--format', 'json'];

describe('--strict-names on a live scan', () => {
  it('refuses a collected report with a name IAM could not have written: exit 2 naming the account and the row', async () => {
    const env = await sandbox();
    const { code, stdout, stderr } = await cli([...scan, '--strict-names'], { env });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('credential reports refused (--strict-names)');
    expect(stderr).toMatch(
      /credential report of 222222222222:3:1 at \/user: error: row at line 3: user name 'admin\\u200b' breaks IAM's rules .*tampered with or damaged/,
    );
    expect(stderr).toMatch(/failed 222222222222 \(tampered\): credential report refused \(--strict-names\): 1 row .*line 3/);
    // The other accounts were scanned; only the tampered one is named.
    expect(stderr).not.toMatch(/credential report of (111111111111|333333333333)/);
  });

  it('without the flag, the row is a warning naming the account and the row, and the scan succeeds', async () => {
    const env = await sandbox();
    const { code, stdout, stderr } = await cli(scan, { env });
    expect(code).toBe(0);
    expect(stderr).toMatch(/credential report of 222222222222:3:1 at \/user: warning: row at line 3: user name 'admin\\u200b'/);
    expect(stdout).toContain('222222222222');
  });
});
