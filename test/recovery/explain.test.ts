import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFixture, startSandbox } from '../../src/sandbox/index.js';
import { collectOrganization } from '../../src/collectors/aws/collect.js';
import { withDefaults } from '../../src/collectors/aws/options.js';
import { serialiseSnapshot } from '../../src/core/snapshot.js';
import type { Account } from '../../src/model/index.js';
import { cli, tempDir } from '../helpers/cli.js';

const FIXTURE = fileURLToPath(new URL('../../examples/sandbox/recovery-org.json', import.meta.url));
let snapshotFile = '';

beforeAll(async () => {
  const box = await startSandbox({ fixture: loadFixture(FIXTURE) });
  try {
    const options = withDefaults({
      selection: { mode: 'org' },
      context: 'all',
      aws: { endpoints: { iam: box.endpoint, sts: box.endpoint, organizations: box.endpoint }, credentials: box.credentials },
    });
    const accounts: Account[] = [];
    for await (const event of collectOrganization(options)) if (event.type === 'scanned') accounts.push(event.account);
    snapshotFile = join(tempDir(), 'snapshot.json');
    writeFileSync(snapshotFile, serialiseSnapshot({ schemaVersion: 1, accounts }));
  } finally {
    await box.close();
  }
});

describe('credwarden explain', () => {
  it('shows every path with the statements that grant or deny it', async () => {
    const run = await cli(['explain', 'arn:aws:iam::300000000003:user/analyst', '--snapshot', snapshotFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'Password: self-service change only (needs the current password); 0 administrator(s); root fallback: blocked-by-scp; NO PATH (not even root)',
    );
    expect(run.stdout).toMatch(/user arn:aws:iam::300000000003:user\/admin\.a: iam:\w+LoginProfile DENIED \(explicit deny\)/);
    expect(run.stdout).toContain('Deny  SCP at ou-rcvr-locked: DenyPasswordReset');
    expect(run.stdout).toContain(
      'Allow identity policy: AdministratorAccess (arn:aws:iam::aws:policy/AdministratorAccess) via group/admins',
    );
    expect(run.stdout).toContain(
      'self-service via: change-password; iam:ChangePassword on itself: allowed; hard expiry: on — LOCK-OUT when the password expires',
    );
    expect(run.stdout).toContain('reset takes: iam:UpdateLoginProfile, or iam:DeleteLoginProfile + iam:CreateLoginProfile');
    // The summary's "change only" and the detail agree: AllowUsersToChangePassword is the grant that applies.
    expect(run.stdout).toMatch(
      /the user itself: iam:ChangePassword ALLOWED\n\s+Allow identity policy: \(password policy: AllowUsersToChangePassword\)/,
    );
    expect(run.stdout).toMatch(
      /MFA device: .*2 administrator.*\n\s+reset takes: iam:DeactivateMFADevice\n\s+device: registered \(console sign-in needs it\); policies require MFA: no/,
    );
    expect(run.stdout).toContain('Allow SCPs: FullAWSAccess at r-rcvr, FullAWSAccess at ou-rcvr-locked, FullAWSAccess at 300000000003');
  });

  it('names who can assume a role and why a role does not count', async () => {
    const run = await cli(['explain', 'arn:aws:iam::400000000004:user/kim', '--snapshot', snapshotFile]);
    expect(run.stdout).toContain('assumable by: sso arn:aws:iam::400000000004:saml-provider/AWSSSO_5f2a8e_DO_NOT_DELETE (conditional)');
    expect(run.stdout).toContain('note: does not count: only AWS services can assume it');
    expect(run.stdout).toMatch(/Access keys: self-service; 2 administrator/);
  });

  it('marks MFA-conditional paths and prints JSON on request', async () => {
    const run = await cli(['explain', 'arn:aws:iam::600000000006:user/worker', '--snapshot', snapshotFile, '--format', 'json']);
    const json = JSON.parse(run.stdout) as {
      recovery: { password: { conditional: boolean } };
      paths: { statements: { unknownKeys?: string[] }[] }[];
    };
    expect(json.recovery.password.conditional).toBe(true);
    expect(json.paths.flatMap((p) => p.statements.flatMap((s) => s.unknownKeys ?? []))).toContain('aws:MultiFactorAuthPresent');
  });

  it('works as the README shows: a demo scan with the default pack saved as a snapshot, then explain', async () => {
    const snapshot = join(tempDir(), 'demo.json');
    expect((await cli(['scan', '--demo', '--save-snapshot', snapshot, '-q'])).code).not.toBe(2);
    const run = await cli(['explain', 'arn:aws:iam::111111111111:user/security/bob.secops', '--snapshot', snapshot]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    // The demo organisation's AWS-managed policies come back with their documents: nothing is UNKNOWN.
    expect(run.stdout).not.toContain('UNKNOWN');
    expect(run.stdout).toContain(
      'Allow identity policy: AdministratorAccess (arn:aws:iam::aws:policy/AdministratorAccess) via group/Admins',
    );
    expect(run.stdout).toMatch(/Password: self-service change only .* 2 administrator\(s\)/);
  });

  it('rejects what it cannot explain with exit 2', async () => {
    expect((await cli(['explain', 'not-an-arn', '--snapshot', snapshotFile])).code).toBe(2);
    const missing = await cli(['explain', 'arn:aws:iam::300000000003:user/nobody', '--snapshot', snapshotFile]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('not in the authorization details');
    expect((await cli(['explain', 'arn:aws:iam::999999999999:user/x', '--snapshot', snapshotFile])).stderr).toContain(
      'not in the snapshot',
    );
    const conflict = await cli(['explain', 'arn:aws:iam::300000000003:user/analyst', '--snapshot', snapshotFile, '--demo']);
    expect(conflict).toMatchObject({ code: 2, stdout: '' });
    expect(conflict.stderr).toContain('cannot be combined');
  });
});
