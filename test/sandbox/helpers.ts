import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterEach } from 'vitest';
import { startSandbox, type OrgFixture, type SandboxHandle, type SandboxOptions } from '../../src/sandbox/index.js';

/** Explicit fake credentials; never the environment or ~/.aws. */
export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const running: SandboxHandle[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sandbox) => sandbox.close()));
});

/** Starts a sandbox that is closed after the current test. */
export async function sandbox(options: SandboxOptions): Promise<SandboxHandle> {
  const handle = await startSandbox(options);
  running.push(handle);
  return handle;
}

/** Client configuration pinned to the sandbox: endpoint, region and keys all explicit; no retries. */
export function clientConfig(box: SandboxHandle, keys: Keys = box.credentials) {
  return { endpoint: box.endpoint, region: 'us-east-1', credentials: keys, maxAttempts: 1 };
}

export const iam = (box: SandboxHandle, keys?: Keys) => new IAMClient(clientConfig(box, keys));
export const sts = (box: SandboxHandle, keys?: Keys) => new STSClient(clientConfig(box, keys));
export const organizations = (box: SandboxHandle, keys?: Keys) => new OrganizationsClient(clientConfig(box, keys));

/** Assumes `role` (default OrganizationAccountAccessRole) in `accountId` and returns its keys. */
export async function assume(box: SandboxHandle, accountId: string, role = 'OrganizationAccountAccessRole'): Promise<Keys> {
  const out = await sts(box).send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${role}`, RoleSessionName: 'credwarden' }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('AssumeRole returned no credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/** Runs `fn` and returns what it threw (failing the test if it did not throw). */
export async function failure(fn: () => Promise<unknown>): Promise<Error & { name: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await fn();
  } catch (error) {
    return error as Error & { name: string; $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail');
}

export const MGMT = '111111111111';
export const MEMBER = '222222222222';
export const OTHER = '333333333333';

/** A small organisation: management, two members, one suspended, with inline reports. */
export function smallOrg(overrides: Partial<OrgFixture> = {}): OrgFixture {
  const report = (id: string, user: string, mfa: boolean) =>
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n' +
    `<root_account>,arn:aws:iam::${id}:root,2020-01-01T00:00:00+00:00,not_supported,no_information,not_supported,not_supported,${mfa},false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n` +
    `${user},arn:aws:iam::${id}:user/${user},2021-01-01T00:00:00+00:00,true,2026-01-01T00:00:00+00:00,2025-01-01T00:00:00+00:00,N/A,false,true,2024-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n`;
  return {
    managementAccountId: MGMT,
    organizationId: 'o-test123456',
    rootId: 'r-test',
    features: ['RootCredentialsManagement', 'RootSessions'],
    organizationalUnits: [{ id: 'ou-test-workloads', name: 'Workloads', children: [{ id: 'ou-test-prod', name: 'Prod' }] }],
    accounts: [
      {
        id: MGMT,
        name: 'management',
        report: { csv: report(MGMT, 'admin', true) },
        context: { rootMfa: 'hardware', passwordPolicy: { MinimumPasswordLength: 14, RequireSymbols: true } },
      },
      { id: MEMBER, name: 'prod', ou: 'Workloads/Prod', report: { csv: report(MEMBER, 'carol', false) } },
      {
        id: OTHER,
        name: 'dev',
        ou: 'ou-test-workloads',
        report: { csv: report(OTHER, 'erin', true) },
        roles: [{ name: 'Audit', externalId: 'ext-123' }],
      },
      { id: '444444444444', name: 'gone', status: 'SUSPENDED', state: 'SUSPENDED' },
    ],
    ...overrides,
  };
}
