/** `credwarden scan` on the live path: --demo, the sandbox via --endpoint-url, flag errors. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSandbox, type OrgFixture, type SandboxHandle } from '../../../src/sandbox/index.js';
import { cli, tempDir } from '../../helpers/cli.js';
import { assumeInSandbox } from './helpers.js';
import { readResultText } from '../../helpers/result.js';

let box: SandboxHandle | undefined;
afterEach(async () => {
  // The SDK reads the caller's keys from the real environment; every test restores it.
  vi.unstubAllEnvs();
  await box?.close();
  box = undefined;
});

const users = (count: number) => ({ generatedUsers: { count, seed: 5 } });
const fixture: OrgFixture = {
  managementAccountId: '111111111111',
  organizationId: 'o-clitest0001',
  accounts: [
    { id: '111111111111', name: 'management', report: users(2) },
    { id: '222222222222', name: 'prod', report: users(4) },
    { id: '333333333333', name: 'denied', report: users(1), faults: { denyAssumeRole: true } },
    { id: '444444444444', name: 'closing', status: 'PENDING_CLOSURE' },
  ],
};

function sandboxEnv(sandbox: SandboxHandle): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: sandbox.endpoint,
    AWS_ACCESS_KEY_ID: sandbox.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sandbox.credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
  };
}

// A fixed as-of time for the demo organisation: the sandbox serves its fixture's reports as
// generated now, so without it the credentials' ages, and the findings, would move with the calendar.
const AS_OF = '2026-12-01T00:00:00Z';

describe('credwarden scan (live)', () => {
  it('--demo scans the bundled sandbox organisation through the live path', async () => {
    const dir = tempDir();
    const { code, stdout, stderr } = await cli([
      'scan',
      '--demo',
      '--as-of',
      AS_OF,
      '--format',
      'json',
      '--save-snapshot',
      join(dir, 'snapshot.json'),
    ]);
    expect(stderr).toMatch(/demo: sandbox organisation on http:\/\/127\.0\.0\.1:\d+/);
    const result = readResultText(stdout);
    expect(Object.fromEntries(result.accounts.map((a) => [a.id, a.status]))).toEqual({
      '111111111111': 'scanned',
      '222222222222': 'scanned',
      '333333333333': 'scanned',
      '444444444444': 'skipped',
      '555555555555': 'scanned',
    });
    expect(result.accounts.find((a) => a.id === '222222222222')).toMatchObject({ name: 'payments-prod', ouPath: 'Root/Workloads/Prod' });
    expect(result.findings.some((f) => f.accountId === '222222222222' && f.ruleId === 'root-mfa-disabled')).toBe(true);
    expect(code).toBe(0);
    // The saved snapshot re-evaluates to the same findings (evidence for an auditor).
    const again = await cli(['evaluate', join(dir, 'snapshot.json'), '--as-of', AS_OF, '--format', 'json']);
    expect(readResultText(again.stdout).findings.map((f) => f.fingerprint)).toEqual(result.findings.map((f) => f.fingerprint));
    expect(readFileSync(join(dir, 'snapshot.json'), 'utf8')).not.toMatch(/sandbox\/secret|ASIA|sessionToken/i);
    // A session token would appear as a value (SessionToken: …); plans may name the sts:GetSessionToken action.
    expect(stdout + stderr).not.toMatch(/sandbox\/secret|SessionToken["'\s]*[:=]|secretAccessKey/i);
  });

  it('--demo --ou narrows the demo organisation', async () => {
    const { code, stdout } = await cli(['scan', '--demo', '--ou', 'ou-demo-workloads', '--as-of', AS_OF, '--format', 'json', '--quiet']);
    expect(code).toBe(0);
    expect(readResultText(stdout).accounts.map((a) => [a.id, a.ouPath])).toEqual([
      ['222222222222', 'Root/Workloads/Prod'],
      ['333333333333', 'Root/Workloads/Dev'],
    ]);
  });

  it('--org against a sandbox (AWS_ENDPOINT_URL): coverage, failed account reason, exit 3; --allow-partial exits as usual', async () => {
    box = await startSandbox({ fixture });
    vi.stubEnv('AWS_ACCESS_KEY_ID', box.credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', box.credentials.secretAccessKey);
    const dir = tempDir();
    const partial = await cli(
      ['scan', '--org', '--format', 'json', '--output', join(dir, 'r.json'), '--verbose', '--account-context', 'none'],
      { env: sandboxEnv(box) },
    );
    expect(partial.stderr).toMatch(
      /failed 333333333333 \(denied\): cannot assume arn:aws:iam::333333333333:role\/OrganizationAccountAccessRole: AccessDenied/,
    );
    expect(partial.stderr).toMatch(/skipped 444444444444 \(closing\): account state is PENDING_CLOSURE/);
    expect(partial.stderr).toMatch(/222222222222 \(prod\): 2 calls \(AssumeRole=1, GetCredentialReport=1\)/);
    expect(partial.stderr).toMatch(/2 scanned, 1 failed, 1 skipped/);
    expect(partial.code).toBe(3);
    const allowed = await cli(['scan', '--org', '--allow-partial', '--quiet', '--format', 'json'], { env: sandboxEnv(box) });
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toBe('');
    const result = readResultText(allowed.stdout);
    expect(result.summary.accounts).toEqual({ scanned: 2, failed: 1, skipped: 1 });
    // No target flag: the caller's own account, with the caller's credentials and no AssumeRole.
    const before = box.callLog.length;
    const caller = await cli(['scan', '--quiet', '--format', 'json', '--account-context', 'none'], { env: sandboxEnv(box) });
    expect(caller.code).toBe(0);
    expect(readResultText(caller.stdout).accounts.map((a) => [a.id, a.status])).toEqual([['111111111111', 'scanned']]);
    expect(box.callLog.slice(before).map((c) => c.operation)).toEqual(['GetCallerIdentity', 'GetCredentialReport']);
  });

  it('bad flags are reported together with exit 2, before any AWS call', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ids.txt'), '222222222222\n# comment\n12345\n');
    const { code, stderr } = await cli(
      [
        'scan',
        '--org',
        '--accounts',
        '1234',
        '--accounts-file',
        'ids.txt',
        '--role-name',
        'arn:aws:iam::123456789012:role/X',
        '--external-id',
        'x',
        '--duration',
        '10h30x',
        '--concurrency',
        '0',
        '--endpoint-url',
        'ftp://nope',
      ],
      { cwd: dir },
    );
    expect(code).toBe(2);
    for (const expected of [
      "'1234' is not a 12-digit account id",
      `ids.txt:3: error: '12345' is not a 12-digit account id`,
      'is an ARN; pass the role name',
      'the external id must be 2 to 1224 characters',
      "'10h30x' is not a duration",
      "'0' is not a whole number from 1 to 512",
      "'ftp://nope' is not an http(s) URL",
    ]) {
      expect(stderr).toContain(expected);
    }
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('--from conflicts with live flags (exit 2)', async () => {
    const { code, stderr } = await cli(['scan', '--from', 'examples/org', '--org', '--role-name', 'Audit']);
    expect(code).toBe(2);
    expect(stderr).toContain('--org collects from AWS and cannot be combined with --from');
    expect(stderr).toContain('--role-name collects from AWS');
  });

  it('account ids that are not in the organisation are a usage error (exit 2)', async () => {
    box = await startSandbox({ fixture });
    vi.stubEnv('AWS_ACCESS_KEY_ID', box.credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', box.credentials.secretAccessKey);
    const { code, stderr } = await cli(['scan', '--accounts', '222222222222,999999999999', '--endpoint-url', box.endpoint]);
    expect(code).toBe(2);
    expect(stderr).toContain('account 999999999999 is not in the organisation');
    expect(box.callLog.some((c) => c.operation === 'AssumeRole')).toBe(false);
  });

  it('--profile picks the caller credentials from the shared credentials file', async () => {
    box = await startSandbox({ fixture });
    const dir = tempDir();
    writeFileSync(
      join(dir, 'credentials'),
      `[audit]\naws_access_key_id = ${box.credentials.accessKeyId}\naws_secret_access_key = ${box.credentials.secretAccessKey}\n`,
    );
    writeFileSync(join(dir, 'config'), '[profile audit]\nregion = us-east-1\n');
    for (const n of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE']) vi.stubEnv(n, undefined);
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
    vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
    const { code, stderr } = await cli([
      'scan',
      '--profile',
      'audit',
      '--endpoint-url',
      box.endpoint,
      '--quiet',
      '--account-context',
      'none',
      '--format',
      'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(box.callLog.map((c) => [c.operation, c.accessKeyId])).toEqual([
      ['GetCallerIdentity', box.credentials.accessKeyId],
      ['GetCredentialReport', box.credentials.accessKeyId],
    ]);
  });

  it('a scan that cannot start (no credentials, or --org from a member account) is one clear paragraph, exit 2', async () => {
    box = await startSandbox({ fixture });
    for (const n of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) vi.stubEnv(n, undefined);
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(tempDir(), 'none'));
    vi.stubEnv('AWS_CONFIG_FILE', join(tempDir(), 'none'));
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    const none = await cli(['scan', '--org', '--endpoint-url', box.endpoint]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^credwarden: cannot start the AWS scan: .*credentials.*\n {2}hint: check the credentials/);
    // A data or environment problem: --help would not help.
    expect(none.stderr).not.toContain("Run 'credwarden --help'");

    const member = await assumeInSandbox(box, '222222222222');
    vi.stubEnv('AWS_ACCESS_KEY_ID', member.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', member.secretAccessKey);
    vi.stubEnv('AWS_SESSION_TOKEN', member.sessionToken);
    const fromMember = await cli(['scan', '--org', '--endpoint-url', box.endpoint]);
    expect(fromMember.code).toBe(2);
    expect(fromMember.stderr).toMatch(
      /^credwarden: cannot start the AWS scan: .*\n {2}hint: .*management or delegated-administrator account/,
    );
    expect(fromMember.stderr).not.toContain(member.secretAccessKey);
  });
});
