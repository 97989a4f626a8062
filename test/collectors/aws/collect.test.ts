import { formatTimestamp } from '../../../src/core/util/time.js';
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListOrganizationsFeaturesCommand,
  ListVirtualMFADevicesCommand,
} from '@aws-sdk/client-iam';
import { DescribeOrganizationCommand, ListAccountsCommand, ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectOrganization, type AccountEvent, type CollectionPlan } from '../../../src/collectors/aws/collect.js';
import { withDefaults } from '../../../src/collectors/aws/options.js';
import { awsError, content, fakeClock, reportCsv } from './helpers.js';

const stsMock = mockClient(STSClient);
const orgMock = mockClient(OrganizationsClient);
const iamMock = mockClient(IAMClient);
const MGMT = '111111111111';
const clock = fakeClock();

/** Access key ids encode the account they were issued for, so the IAM mock can tell whose credentials signed a call. */
const keyFor = (accountId: string) => `ASIA${accountId}`;

beforeEach(() => {
  stsMock.on(GetCallerIdentityCommand).resolves({ Account: MGMT, Arn: `arn:aws-us-gov:iam::${MGMT}:user/scanner`, UserId: 'AIDA' });
  stsMock.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
    const accountId = input.RoleArn.split(':')[4] ?? '';
    if (accountId === '333333333333')
      throw awsError('AccessDenied', `User is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`);
    return {
      Credentials: {
        AccessKeyId: keyFor(accountId),
        SecretAccessKey: 'super-secret',
        SessionToken: 'token-xyz',
        Expiration: new Date(clock.now() + 3_600_000),
      },
    };
  });
  orgMock.on(ListAccountsCommand).resolves({
    Accounts: [
      { Id: MGMT, Name: 'management', Status: 'ACTIVE', State: 'ACTIVE' },
      { Id: '222222222222', Name: 'prod', Status: 'ACTIVE', State: 'ACTIVE' },
      { Id: '333333333333', Name: 'locked', Status: 'ACTIVE', State: 'ACTIVE' },
      { Id: '444444444444', Name: 'gone', Status: 'SUSPENDED', State: 'SUSPENDED' },
    ],
  });
  orgMock.on(ListRootsCommand).rejects(awsError('AccessDeniedException'));
  orgMock.on(DescribeOrganizationCommand).resolves({ Organization: { MasterAccountId: MGMT } });
  iamMock.on(ListOrganizationsFeaturesCommand).resolves({ EnabledFeatures: [] });
  iamMock.on(ListVirtualMFADevicesCommand).resolves({ VirtualMFADevices: [] });
  iamMock.on(GetCredentialReportCommand).callsFake(async (_input: unknown, getClient: () => IAMClient) => {
    const credentials = await (getClient().config.credentials as () => Promise<{ accessKeyId: string }>)();
    // The caller's own account is scanned with the caller's credentials.
    const accountId = credentials.accessKeyId === 'AKIACALLER' ? MGMT : credentials.accessKeyId.slice(4);
    return { Content: content(reportCsv(accountId, { users: ['alice'] })), GeneratedTime: new Date(clock.now() - 60_000) };
  });
});
afterEach(() => {
  stsMock.reset();
  orgMock.reset();
  iamMock.reset();
});

async function collect(overrides: Parameters<typeof withDefaults>[0]): Promise<{ events: AccountEvent[]; plan?: CollectionPlan }> {
  const events: AccountEvent[] = [];
  let plan: CollectionPlan | undefined;
  const options = withDefaults({ ...overrides, aws: { credentials: { accessKeyId: 'AKIACALLER', secretAccessKey: 'caller-secret' } } });
  for await (const event of collectOrganization(options, { clock, onPlan: (p) => (plan = p) })) events.push(event);
  return { events, ...(plan ? { plan } : {}) };
}

describe('collectOrganization', () => {
  it('scans reachable accounts, records the failed and skipped ones, and keeps going', async () => {
    const { events, plan } = await collect({ selection: { mode: 'org' }, context: 'none' });
    expect(plan).toMatchObject({ total: 3, skipped: 1, caller: { accountId: MGMT, partition: 'aws-us-gov' } });
    const byId = Object.fromEntries(events.map((e) => [e.type === 'scanned' ? e.account.id : e.outcome.id, e]));
    expect(byId['444444444444']).toEqual({
      type: 'skipped',
      outcome: { id: '444444444444', name: 'gone', status: 'skipped', reason: 'account state is SUSPENDED' },
      calls: {},
    });
    expect(byId['333333333333']).toMatchObject({
      type: 'failed',
      outcome: {
        status: 'failed',
        reason: expect.stringMatching(
          /^cannot assume arn:aws-us-gov:iam::333333333333:role\/OrganizationAccountAccessRole: AccessDenied: /,
        ),
      },
    });
    const prod = byId['222222222222'];
    expect(prod?.type).toBe('scanned');
    if (prod?.type !== 'scanned') return;
    expect(prod.account).toMatchObject({
      id: '222222222222',
      name: 'prod',
      source: 'aws',
      reportGeneratedTime: formatTimestamp(clock.now() - 60_000),
    });
    expect(prod.account.principals.map((p) => p.name)).toEqual(['<root_account>', 'alice']);
    // Happy path with a fresh report: exactly AssumeRole + GetCredentialReport.
    expect(prod.calls).toEqual({ AssumeRole: 1, GetCredentialReport: 1 });
    // The management account uses the caller's credentials: no AssumeRole.
    const mgmt = byId[MGMT];
    expect(mgmt?.type === 'scanned' && mgmt.calls).toEqual({ GetCredentialReport: 1 });
    // Secrets never reach the events.
    expect(JSON.stringify(events)).not.toMatch(/super-secret|token-xyz|caller-secret/);
  });

  it('assumes the role with the given name, external id, session name and duration in the partition of the caller', async () => {
    await collect({
      selection: { mode: 'accounts', accounts: ['222222222222'] },
      roleName: 'audit/Scanner',
      externalId: 'ext-123',
      roleSessionName: 'nightly',
      durationSeconds: 900,
      context: 'none',
    });
    expect(stsMock.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([
      {
        RoleArn: 'arn:aws-us-gov:iam::222222222222:role/audit/Scanner',
        RoleSessionName: 'nightly',
        DurationSeconds: 900,
        ExternalId: 'ext-123',
      },
    ]);
  });

  it('lists the organisation while the caller identity is asked (a round trip less before the first account)', async () => {
    const listedBeforeIdentity: string[] = [];
    stsMock.on(GetCallerIdentityCommand).callsFake(async () => {
      // The identity answers only once the organisation's first calls have gone out (or after a second, failing the check).
      for (let waited = 0; orgMock.calls().length === 0 && waited < 1000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      listedBeforeIdentity.push(...orgMock.calls().map((call) => (call.args[0] as object).constructor.name));
      return { Account: MGMT, Arn: `arn:aws:iam::${MGMT}:user/scanner`, UserId: 'AIDA' };
    });
    const { events, plan } = await collect({ selection: { mode: 'org' }, context: 'none' });
    expect(listedBeforeIdentity.length).toBeGreaterThan(0);
    expect(plan).toMatchObject({ total: 3, skipped: 1, caller: { accountId: MGMT } });
    expect(events).toHaveLength(4);
  });

  it('reports the caller identity error, not what the listing met meanwhile', async () => {
    stsMock.on(GetCallerIdentityCommand).callsFake(async () => {
      for (let waited = 0; orgMock.calls().length < 2 && waited < 1000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      throw awsError('InvalidClientTokenId', 'The security token included in the request is invalid.');
    });
    orgMock.on(ListAccountsCommand).rejects(awsError('AccessDeniedException', 'not the management account'));
    await expect(collect({ selection: { mode: 'org' }, context: 'none' })).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
  });

  it('fails an account whose report is malformed or belongs to another account', async () => {
    iamMock
      .on(GetCredentialReportCommand)
      .resolvesOnce({ Content: content('user,arn\n"broken'), GeneratedTime: new Date(clock.now()) })
      .resolves({ Content: content(reportCsv('999999999999')), GeneratedTime: new Date(clock.now()) });
    const { events } = await collect({
      selection: { mode: 'accounts', accounts: ['222222222222', MGMT] },
      context: 'none',
      concurrency: 1,
    });
    const reasons = events.map((e) => (e.type === 'failed' ? e.outcome.reason : e.type));
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toMatch(/^malformed credential report: /);
    expect(reasons[1]).toBe('the credential report belongs to account 999999999999, not 222222222222');
  });

  it('auto context: root MFA kind costs one call, only where root has MFA', async () => {
    const { events } = await collect({ selection: { mode: 'accounts', accounts: ['222222222222'] } });
    expect(events[0]?.type === 'scanned' && events[0].account.facts).toMatchObject({
      rootMfa: 'hardware',
      rootCredentialsManagement: false,
    });
    expect(events[0]?.calls).toEqual({ AssumeRole: 1, GetCredentialReport: 1, ListVirtualMFADevices: 1 });
  });

  it('generates a missing report and counts the polls', async () => {
    iamMock
      .on(GetCredentialReportCommand)
      .rejectsOnce(awsError('ReportNotPresent'))
      .rejectsOnce(awsError('ReportInProgress'))
      .resolves({ Content: content(reportCsv('222222222222')), GeneratedTime: new Date(clock.now()) });
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'STARTED' });
    const { events } = await collect({ selection: { mode: 'accounts', accounts: ['222222222222'] }, context: 'none' });
    expect(events[0]?.calls).toEqual({ AssumeRole: 1, GetCredentialReport: 3, GenerateCredentialReport: 1 });
  });

  it('caller mode scans only the caller account, without Organizations', async () => {
    const { events } = await collect({ selection: { mode: 'caller' }, context: 'none' });
    expect(events.map((e) => e.type === 'scanned' && e.account.id)).toEqual([MGMT]);
    expect(orgMock.calls()).toHaveLength(0);
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });
});
