/**
 * The credentials beyond the credential report (issue 22), on the live path against the sandbox:
 * a complete scan finds every planted one; the credential-report pack makes no new call.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_FIXTURE_PATH, loadFixture, startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { cli } from '../../helpers/cli.js';
import type { ScanResult } from '../../../src/model/index.js';
import { readResultText } from '../../helpers/result.js';

let box: SandboxHandle | undefined;
afterEach(async () => {
  // The SDK reads the caller's keys from the real environment; every test restores it.
  vi.unstubAllEnvs();
  await box?.close();
  box = undefined;
});

async function scan(pack: string): Promise<{ result: ScanResult; calls: { accountId: string; operation: string }[] }> {
  const demo = loadFixture(DEMO_FIXTURE_PATH);
  // Fresh reports (the demo pins old ones), so each account's report costs one call.
  const fixture = {
    ...demo,
    accounts: demo.accounts.map((a) => (a.report ? { ...a, report: { ...a.report, generatedTime: undefined, ageHours: 1 } } : a)),
  };
  box = await startSandbox({ fixture });
  vi.stubEnv('AWS_ACCESS_KEY_ID', box.credentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', box.credentials.secretAccessKey);
  const env = {
    AWS_ENDPOINT_URL: box.endpoint,
    AWS_ACCESS_KEY_ID: box.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: box.credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
  };
  // A fixed as-of time: the planted credentials' ages must not move with the clock.
  const { code, stdout, stderr } = await cli(['scan', '--org', '--pack', pack, '--as-of', '2026-12-01', '--format', 'json', '--quiet'], {
    env,
  });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return { result: readResultText(stdout), calls: box.callLog.map((c) => ({ accountId: c.accountId, operation: c.operation })) };
}

/** Operations each account's own credentials sent, by account. */
function memberCalls(calls: { accountId: string; operation: string }[], accountId: string): string[] {
  return calls.filter((c) => c.accountId === accountId).map((c) => c.operation);
}

describe('credentials beyond the credential report, live against the sandbox', () => {
  it('--pack credential-report costs AssumeRole + GetCredentialReport per member account, nothing more', async () => {
    const { result, calls } = await scan('credential-report');
    const members = result.accounts.filter((a) => a.status === 'scanned' && a.id !== '111111111111');
    expect(members.length).toBeGreaterThan(1);
    for (const account of members) {
      // The report's own calls only (a stale one is regenerated and polled); GetAccountSummary is the
      // documented exception (centrally managed root without MFA: see packs/credential-report.yaml).
      const own = new Set(memberCalls(calls, account.id));
      for (const op of ['GenerateCredentialReport', 'GetCredentialReport', 'GetAccountSummary']) own.delete(op);
      expect([...own], account.id).toEqual([]);
      expect(calls.filter((c) => c.operation === 'AssumeRole' && c.accountId === '111111111111')).toHaveLength(members.length);
    }
    expect(memberCalls(calls, '555555555555')).toEqual(['GetCredentialReport']);
    for (const op of [
      'ListServerCertificates',
      'ListServiceSpecificCredentials',
      'ListSSHPublicKeys',
      'GenerateServiceLastAccessedDetails',
      'GetServiceLastAccessedDetails',
    ])
      expect(calls.map((c) => c.operation)).not.toContain(op);
    expect(result.findings.filter((f) => f.ruleId.startsWith('password-policy-'))).toEqual([]);
  });

  it('--pack recommended (the default) finds the service credentials and the expired certificate, at a fixed cost, and reads no SSH key', async () => {
    const { result, calls } = await scan('recommended');
    const items = result.findings.filter((f) => f.credential?.includes(':')).map((f) => `${f.ruleId} ${f.principal.name} ${f.credential}`);
    expect(items.sort()).toEqual([
      'api-key-without-expiry carol service_credential:ACCA222222222222BEDRK',
      'api-key-without-expiry deploy-bot service_credential:ACCA222222222222LOGSK',
      'bedrock-long-term-api-key carol service_credential:ACCA222222222222BEDRK',
      'expired-server-certificate <root_account> server_certificate:payments-legacy-2024',
      'service-credential-not-rotated deploy-bot service_credential:ACCA222222222222GITCC',
      'service-credential-of-inactive-user legacy-reporting service_credential:ACCA222222222222KEYSP',
    ]);
    for (const account of result.accounts.filter((a) => a.status === 'scanned')) {
      const own = memberCalls(calls, account.id);
      // Whatever the number of users: 1 ListServerCertificates, 4 ListServiceSpecificCredentials.
      expect(
        own.filter((op) => op === 'ListServerCertificates'),
        account.id,
      ).toHaveLength(1);
      expect(
        own.filter((op) => op === 'ListServiceSpecificCredentials'),
        account.id,
      ).toHaveLength(4);
      for (const op of ['ListSSHPublicKeys', 'GenerateServiceLastAccessedDetails', 'GetServiceLastAccessedDetails'])
        expect(own, account.id).not.toContain(op);
    }
  });

  it('--pack complete: one GetAccountPasswordPolicy per account serves the policy rules and the recovery paths', async () => {
    const { result, calls } = await scan('complete');
    for (const account of result.accounts.filter((a) => a.status === 'scanned')) {
      expect(
        memberCalls(calls, account.id).filter((op) => op === 'GetAccountPasswordPolicy'),
        account.id,
      ).toHaveLength(1);
    }
    const policy = result.findings.filter((f) => f.ruleId.startsWith('password-policy-')).map((f) => `${f.accountId} ${f.ruleId}`);
    expect(policy.sort()).toEqual([
      '222222222222 password-policy-min-length',
      '222222222222 password-policy-reuse-prevention',
      '222222222222 password-policy-weak',
      '333333333333 password-policy-missing',
    ]);
    // Every planted credential of each type the credential report leaves out (examples/sandbox/demo-org.json).
    const items = result.findings.filter((f) => f.credential?.includes(':')).map((f) => `${f.ruleId} ${f.principal.name} ${f.credential}`);
    expect(items.sort()).toEqual([
      'api-key-without-expiry carol service_credential:ACCA222222222222BEDRK',
      'api-key-without-expiry deploy-bot service_credential:ACCA222222222222LOGSK',
      'bedrock-long-term-api-key carol service_credential:ACCA222222222222BEDRK',
      'expired-server-certificate <root_account> server_certificate:payments-legacy-2024',
      'service-credential-not-rotated deploy-bot service_credential:ACCA222222222222GITCC',
      'service-credential-of-inactive-user legacy-reporting service_credential:ACCA222222222222KEYSP',
      'ssh-public-key-not-rotated deploy-bot ssh_public_key:APKA222222222222DEPLY',
      'ssh-public-key-of-inactive-user legacy-reporting ssh_public_key:APKA222222222222LEGCY',
    ]);
    // One call per service per account (AllUsers), one ListServerCertificates, one ListSSHPublicKeys per user.
    const prod = memberCalls(calls, '222222222222');
    expect(prod.filter((op) => op === 'ListServiceSpecificCredentials')).toHaveLength(4);
    expect(prod.filter((op) => op === 'ListServerCertificates')).toHaveLength(1);
    const prodUsers = (result.accounts.find((a) => a.id === '222222222222')?.principals ?? 0) - 1;
    expect(prod.filter((op) => op === 'ListSSHPublicKeys')).toHaveLength(prodUsers);
    // CodeCommit last access only for the two users holding an active SSH key: one job each, polled
    // until complete (the sandbox answers IN_PROGRESS once).
    expect(prod.filter((op) => op === 'GenerateServiceLastAccessedDetails')).toHaveLength(2);
    expect(prod.filter((op) => op === 'GetServiceLastAccessedDetails')).toHaveLength(4);
    for (const account of ['111111111111', '333333333333', '555555555555'])
      expect(memberCalls(calls, account), account).not.toContain('GenerateServiceLastAccessedDetails');
    for (const id of ['password-policy-missing', 'password-policy-min-length']) {
      expect(result.rules.find((r) => r.id === id)?.status, id).toBe('failed');
    }
  });
});
