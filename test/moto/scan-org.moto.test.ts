/**
 * `credwarden scan --org` (the built binary) against moto, an AWS implementation written
 * independently of credwarden's own sandbox: Organizations with the SCP policy type enabled and
 * disabled, STS AssumeRole into each member account, IAM credential reports, and
 * GetAccountAuthorizationDetails with users, groups, roles, AWS-managed and customer policies and
 * permission boundaries. moto's deviations from AWS are listed in docs/sandbox.md; the tests
 * build organisations that do not depend on them, and assert how credwarden handles the rest.
 *
 * Skipped, with a visible reason, when moto is not installed (pip install 'moto[server]').
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand as CreateScpCommand,
  DisablePolicyTypeCommand,
  EnablePolicyTypeCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { motoUnavailable, startMoto, type MotoServer } from './server.js';
import { readResultText } from '../helpers/result.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(REPO, 'bin', 'credwarden.js');
/** moto's default account: the caller's and the organisation's management account. */
const MANAGEMENT = '123456789012';
const CALLER_KEYS = { accessKeyId: 'AKIAMOTOCALLER000001', secretAccessKey: 'moto-test-secret' };
const skipReason = motoUnavailable();

interface Finding {
  ruleId: string;
  accountId: string;
  principal: { name: string };
  credential: string | null;
}

interface SnapshotAccount {
  id: string;
  factsCollected?: string[];
  factsUnavailable?: Record<string, string>;
  facts?: Record<string, unknown>;
  principals: { name: string; type: string; facts?: { recovery?: Record<string, Record<string, unknown>> } }[];
}

interface ScanRun {
  code: number;
  stderr: string;
  findings: Finding[];
  accounts: { id: string; status: string; reason?: string }[];
  snapshot: SnapshotAccount[];
}

/** moto's management account has a header-only credential report (docs/sandbox.md): scenarios about members leave it out. */
const MEMBERS_ONLY = ['--exclude-accounts', MANAGEMENT];

const json = (value: object) => JSON.stringify(value);
const allow = (action: string | string[], resource = '*') =>
  json({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });

/** The built `credwarden` binary, with the caller's keys and moto as the endpoint; nothing else from the environment. */
function scan(moto: MotoServer, pack = 'recommended', extra: string[] = []): Promise<ScanRun> {
  const dir = mkdtempSync(join(tmpdir(), 'credwarden-moto-'));
  const snapshotFile = join(dir, 'snapshot.json');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: CALLER_KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CALLER_KEYS.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '2',
    NO_COLOR: '1',
  };
  const args = [BIN, 'scan', '--org', '--pack', pack, '--format', 'json', '--save-snapshot', snapshotFile, ...extra];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        const result = readResultText(stdout);
        const snapshot = (JSON.parse(readFileSync(snapshotFile, 'utf8')) as { accounts: SnapshotAccount[] }).accounts;
        resolve({ code: code ?? -1, stderr, findings: result.findings, accounts: result.accounts, snapshot });
      } catch (error) {
        reject(new Error(`credwarden exited ${code}: ${String(error)}\nstderr: ${stderr}`));
      }
    });
  });
}

/** Keys of an assumed OrganizationAccountAccessRole session in `accountId`: moto scopes IAM to that account. */
async function memberIam(moto: MotoServer, accountId: string): Promise<IAMClient> {
  const sts = new STSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: CALLER_KEYS });
  const out = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, RoleSessionName: 'setup' }),
  );
  const c = out.Credentials!;
  return new IAMClient({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
  });
}

async function user(iam: IAMClient, name: string, options: { password?: boolean; keys?: ('Active' | 'Inactive')[] } = {}): Promise<void> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (options.password) await iam.send(new CreateLoginProfileCommand({ UserName: name, Password: 'Moto-Test-Password-1!' }));
  for (const status of options.keys ?? []) {
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    if (status === 'Inactive')
      await iam.send(new UpdateAccessKeyCommand({ UserName: name, AccessKeyId: key.AccessKey!.AccessKeyId!, Status: 'Inactive' }));
  }
}

interface Org {
  prod: string;
  sandbox: string;
  workloads: string;
}

/**
 * The organisation both scenarios share:
 * - prod (OU Workloads): alice administers through the group admins (AWS-managed
 *   AdministratorAccess); half may only CreateLoginProfile, which cannot reset an existing
 *   password; ops is a role the management account may assume with IAMFullAccess, but its
 *   boundary allows S3 only; dev has a password and two keys, one inactive.
 * - sandbox (root): solo has a password and nobody else in the account can do anything.
 * With `scps` other than `never`, the SCP policy type is enabled and an SCP on Workloads denies
 * password resets; `disabled` then disables the policy type again (AWS detaches every SCP).
 */
async function buildOrg(moto: MotoServer, scps: 'never' | 'enabled' | 'disabled'): Promise<Org> {
  await moto.reset();
  const org = new OrganizationsClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: CALLER_KEYS });
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const rootId = (await org.send(new ListRootsCommand({}))).Roots![0]!.Id!;
  const workloads = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Workloads' }))).OrganizationalUnit!.Id!;
  const prod = (await org.send(new CreateAccountCommand({ AccountName: 'prod', Email: 'prod@example.com' }))).CreateAccountStatus!
    .AccountId!;
  const sandbox = (await org.send(new CreateAccountCommand({ AccountName: 'sandbox', Email: 'sandbox@example.com' }))).CreateAccountStatus!
    .AccountId!;
  await org.send(new MoveAccountCommand({ AccountId: prod, SourceParentId: rootId, DestinationParentId: workloads }));

  const p = await memberIam(moto, prod);
  await user(p, 'alice', { password: true, keys: ['Active'] });
  await p.send(new CreateGroupCommand({ GroupName: 'admins' }));
  await p.send(new AttachGroupPolicyCommand({ GroupName: 'admins', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  await p.send(new AddUserToGroupCommand({ GroupName: 'admins', UserName: 'alice' }));
  await user(p, 'half', { password: true });
  await p.send(
    new PutUserPolicyCommand({
      UserName: 'half',
      PolicyName: 'create-login-profile-only',
      PolicyDocument: allow('iam:CreateLoginProfile'),
    }),
  );
  await user(p, 'dev', { password: true, keys: ['Active', 'Inactive'] });
  const s3Only = (await p.send(new CreatePolicyCommand({ PolicyName: 's3-only', PolicyDocument: allow('s3:*') }))).Policy!.Arn!;
  const trust = json({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MANAGEMENT}:root` }, Action: 'sts:AssumeRole' }],
  });
  await p.send(new CreateRoleCommand({ RoleName: 'ops', AssumeRolePolicyDocument: trust, PermissionsBoundary: s3Only }));
  await p.send(new AttachRolePolicyCommand({ RoleName: 'ops', PolicyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' }));

  const s = await memberIam(moto, sandbox);
  await user(s, 'solo', { password: true });

  if (scps !== 'never') {
    await org.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    const deny = json({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'NoPasswordResets',
          Effect: 'Deny',
          Action: ['iam:UpdateLoginProfile', 'iam:CreateLoginProfile', 'iam:DeleteLoginProfile'],
          Resource: '*',
        },
      ],
    });
    const scp = await org.send(
      new CreateScpCommand({ Name: 'DenyPasswordReset', Description: 'no password resets', Type: 'SERVICE_CONTROL_POLICY', Content: deny }),
    );
    await org.send(new AttachPolicyCommand({ PolicyId: scp.Policy!.PolicySummary!.Id!, TargetId: workloads }));
  }
  if (scps === 'disabled') await org.send(new DisablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
  return { prod, sandbox, workloads };
}

const RECOVERY_RULES = new Set(['no-recovery-path', 'single-administrator', 'password-hard-expiry-lockout']);

function recoveryFindings(run: ScanRun, org: Org): string[] {
  const name = (id: string) => (id === org.prod ? 'prod' : id === org.sandbox ? 'sandbox' : id);
  return run.findings
    .filter((f) => RECOVERY_RULES.has(f.ruleId))
    .map((f) => `${f.ruleId} ${name(f.accountId)} ${f.principal.name} ${f.credential ?? '-'}`)
    .sort();
}

function recoveryOf(run: ScanRun, accountId: string, userName: string): Record<string, Record<string, unknown>> {
  const principal = run.snapshot.find((a) => a.id === accountId)?.principals.find((p) => p.name === userName);
  const recovery = principal?.facts?.recovery;
  if (!recovery) throw new Error(`no recovery facts for ${userName} in ${accountId}`);
  return recovery;
}

describe.skipIf(skipReason !== undefined)('credwarden scan --org against moto', () => {
  let moto: MotoServer;

  beforeAll(async () => {
    if (!existsSync(join(REPO, 'dist')))
      throw new Error('dist/ is missing: run `npm run build` before these tests (they drive the built binary)');
    moto = await startMoto();
  }, 90_000);

  afterAll(async () => {
    await moto?.stop();
  });

  it(
    'SCP policy type disabled after use: moto still lists the SCPs, yet none applies; only users without any path are flagged',
    { timeout: 180_000 },
    async () => {
      const org = await buildOrg(moto, 'disabled');
      // moto keeps every SCP attached after DisablePolicyType (AWS detaches them): only ListRoots tells.
      const attached = await new OrganizationsClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: CALLER_KEYS }).send(
        new ListPoliciesForTargetCommand({ TargetId: org.workloads, Filter: 'SERVICE_CONTROL_POLICY' }),
      );
      expect(attached.Policies?.map((p) => p.Name)).toEqual(expect.arrayContaining(['FullAWSAccess', 'DenyPasswordReset']));
      const run = await scan(moto, 'recommended', MEMBERS_ONLY);
      expect(run.code, run.stderr).toBeLessThan(2);
      expect(
        run.accounts
          .filter((a) => a.status !== 'skipped')
          .map((a) => [a.id, a.status])
          .sort(),
      ).toEqual(
        [
          [org.prod, 'scanned'],
          [org.sandbox, 'scanned'],
        ].sort(),
      );
      expect(recoveryFindings(run, org)).toEqual([
        'no-recovery-path sandbox solo password', // nobody in the account can reset it
        'single-administrator prod alice -', // half's CreateLoginProfile cannot reset; ops's boundary allows S3 only
      ]);
      const solo = recoveryOf(run, org.sandbox, 'solo');
      expect(solo.password).toMatchObject({ hasPath: false, rootOnly: true, rootFallback: 'available' });
      const dev = recoveryOf(run, org.prod, 'dev');
      expect(dev.password).toMatchObject({
        hasPath: true,
        administrators: [`arn:aws:iam::${org.prod}:user/alice`],
        rootFallback: 'available',
      });
      // dev's inactive key takes the second slot: a new key needs DeleteAccessKey too.
      expect(dev.accessKeys).toMatchObject({ hasPath: true, requiredActions: [['iam:CreateAccessKey', 'iam:DeleteAccessKey']] });
      const prod = run.snapshot.find((a) => a.id === org.prod)!;
      expect(prod.facts?.recovery).toMatchObject({ soleAdministrator: `arn:aws:iam::${org.prod}:user/alice`, singleAdministrator: true });
      expect(prod.factsCollected).toEqual(expect.arrayContaining(['recovery', 'passwordPolicy']));
    },
  );

  it(
    'SCP policy type enabled with a deny on the OU: password resets blocked even for root, keys still recoverable',
    { timeout: 180_000 },
    async () => {
      const org = await buildOrg(moto, 'enabled');
      const run = await scan(moto, 'recommended', MEMBERS_ONLY);
      expect(run.code, run.stderr).toBeLessThan(2);
      expect(recoveryFindings(run, org)).toEqual([
        'no-recovery-path prod alice password',
        'no-recovery-path prod dev password',
        'no-recovery-path prod half password',
        'no-recovery-path sandbox solo password',
        'single-administrator prod alice -',
      ]);
      expect(recoveryOf(run, org.prod, 'dev').password).toMatchObject({ hasPath: false, rootOnly: false, rootFallback: 'blocked-by-scp' });
      expect(recoveryOf(run, org.prod, 'dev').accessKeys).toMatchObject({
        hasPath: true,
        administrators: [`arn:aws:iam::${org.prod}:user/alice`],
      });
      // The SCP sits on Workloads only: the sandbox account's root is not blocked.
      expect(recoveryOf(run, org.sandbox, 'solo').password).toMatchObject({ rootFallback: 'available' });
    },
  );

  it(
    "handles moto's credential reports: GeneratedTime fixed in 2015, and a header-only report for the management account",
    { timeout: 180_000 },
    async () => {
      const org = await buildOrg(moto, 'never');
      const run = await scan(moto, 'credential-report');
      // Ages are measured from the newest recorded event instead of the 2015 GeneratedTime, and the scan says so.
      expect(run.stderr).toMatch(/GeneratedTime 2015-\d\d-\d\dT[\d:.]+Z? is older than events the report records/);
      // AWS always lists the root user: a report without any row is not a clean account, it is a failed scan (exit 3).
      expect(run.code).toBe(3);
      expect(run.accounts.find((a) => a.id === MANAGEMENT)).toMatchObject({ status: 'failed', reason: expect.stringMatching(/no rows/) });
      expect(run.findings.filter((f) => f.accountId === MANAGEMENT)).toEqual([]);
      expect(run.accounts.filter((a) => a.id !== MANAGEMENT).every((a) => a.status === 'scanned')).toBe(true);
      // The credential-report pack reads no recovery facts: AssumeRole + the report only.
      expect(run.snapshot.find((a) => a.id === org.prod)?.facts?.recovery).toBeUndefined();
      // dev's second key is inactive: not two active keys.
      expect(run.findings.some((f) => f.ruleId === 'two-active-access-keys')).toBe(false);
    },
  );
});

if (skipReason !== undefined) {
  // Say it in the test list and on stderr: a skipped integration suite must never go unnoticed.
  console.warn(`[moto] integration tests skipped: ${skipReason}`);
  describe('credwarden scan --org against moto', () => {
    it.skip(`SKIPPED: ${skipReason}`, () => undefined);
  });
}
