import {
  CredentialReportExpiredException,
  CredentialReportNotPresentException,
  CredentialReportNotReadyException,
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  IAMServiceException,
  LimitExceededException,
  ListAccessKeysCommand,
  ListOrganizationsFeaturesCommand,
  ListVirtualMFADevicesCommand,
  NoSuchEntityException,
  AccountNotManagementOrDelegatedAdministratorException,
  OrganizationNotInAllFeaturesModeException,
  ServiceAccessNotEnabledException,
  ServiceFailureException,
  paginateGetAccountAuthorizationDetails,
} from '@aws-sdk/client-iam';
import { describe, expect, test } from 'vitest';
import { parseCredentialReport } from '../../src/core/report/parse.js';
import { MEMBER, MGMT, assume, failure, iam, sandbox, smallOrg } from './helpers.js';

describe('IAM credential reports', () => {
  test('GetCredentialReport returns the account’s CSV as bytes with a Date GeneratedTime', async () => {
    const now = Date.parse('2026-11-27T03:00:00Z');
    const box = await sandbox({ fixture: smallOrg(), now: () => now });
    const out = await iam(box, await assume(box, MEMBER)).send(new GetCredentialReportCommand({}));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.Content).toBeInstanceOf(Uint8Array);
    expect(out.ReportFormat).toBe('text/csv');
    expect(out.GeneratedTime).toEqual(new Date(now));
    const parsed = parseCredentialReport(Buffer.from(out.Content ?? []).toString('utf8'), 'sandbox');
    expect(parsed.accountId).toBe(MEMBER);
    expect(parsed.principals.map((p) => p.name)).toContain('carol');
  });

  test('the caller’s own keys read the management account’s report', async () => {
    const box = await sandbox({ fixture: smallOrg() });
    const out = await iam(box).send(new GetCredentialReportCommand({}));
    expect(Buffer.from(out.Content ?? []).toString('utf8')).toContain(`arn:aws:iam::${MGMT}:user/admin`);
  });

  test('a missing report answers ReportNotPresent 410 until generated', async () => {
    const fixture = smallOrg();
    fixture.accounts[1]!.report = { ...fixture.accounts[1]!.report, state: 'absent' };
    const box = await sandbox({ fixture });
    const client = iam(box, await assume(box, MEMBER));
    const error = await failure(() => client.send(new GetCredentialReportCommand({})));
    expect(error).toBeInstanceOf(CredentialReportNotPresentException);
    expect(error.$metadata.httpStatusCode).toBe(410);
    expect((await client.send(new GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
    expect((await client.send(new GetCredentialReportCommand({}))).Content).toBeInstanceOf(Uint8Array);
  });

  test('an expired report answers ReportExpired 410', async () => {
    const fixture = smallOrg();
    fixture.accounts[1]!.report = { ...fixture.accounts[1]!.report, state: 'expired' };
    const box = await sandbox({ fixture });
    const error = await failure(async () => iam(box, await assume(box, MEMBER)).send(new GetCredentialReportCommand({})));
    expect(error).toBeInstanceOf(CredentialReportExpiredException);
    expect(error.$metadata.httpStatusCode).toBe(410);
  });

  test('generation needing N polls: STARTED, INPROGRESS…, COMPLETE; ReportInProgress 404 meanwhile', async () => {
    const fixture = smallOrg();
    fixture.accounts[1]!.report = { ...fixture.accounts[1]!.report, state: 'absent' };
    fixture.accounts[1]!.faults = { reportPolls: 3 };
    const box = await sandbox({ fixture });
    const client = iam(box, await assume(box, MEMBER));
    expect((await client.send(new GenerateCredentialReportCommand({}))).State).toBe('STARTED');
    expect((await client.send(new GenerateCredentialReportCommand({}))).State).toBe('INPROGRESS');
    const inProgress = await failure(() => client.send(new GetCredentialReportCommand({})));
    expect(inProgress).toBeInstanceOf(CredentialReportNotReadyException);
    expect(inProgress.$metadata.httpStatusCode).toBe(404);
    expect((await client.send(new GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
    expect((await client.send(new GetCredentialReportCommand({}))).ReportFormat).toBe('text/csv');
  });

  test('a stale report keeps its old GeneratedTime until regenerated', async () => {
    const now = Date.parse('2026-11-27T03:00:00Z');
    const fixture = smallOrg();
    fixture.accounts[1]!.report = { ...fixture.accounts[1]!.report, ageHours: 30 };
    let clock = now;
    const box = await sandbox({ fixture, now: () => clock });
    const client = iam(box, await assume(box, MEMBER));
    expect((await client.send(new GetCredentialReportCommand({}))).GeneratedTime).toEqual(new Date(now - 30 * 3_600_000));
    clock += 60_000;
    expect((await client.send(new GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
    expect((await client.send(new GetCredentialReportCommand({}))).GeneratedTime).toEqual(new Date(clock));
  });

  test('LimitExceeded 409 decodes to LimitExceededException', async () => {
    const fixture = smallOrg();
    fixture.accounts[1]!.faults = { limitExceeded: 1 };
    const box = await sandbox({ fixture });
    const client = iam(box, await assume(box, MEMBER));
    const error = await failure(() => client.send(new GenerateCredentialReportCommand({})));
    expect(error).toBeInstanceOf(LimitExceededException);
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect((await client.send(new GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
  });

  test('malformed reports are served as such', async () => {
    const fixture = smallOrg();
    fixture.accounts[1]!.faults = { malformedReport: true };
    const box = await sandbox({ fixture });
    const out = await iam(box, await assume(box, MEMBER)).send(new GetCredentialReportCommand({}));
    expect(() => parseCredentialReport(Buffer.from(out.Content ?? []).toString('utf8'), 'x')).toThrow();
  });
});

describe('IAM account context', () => {
  test('GetAccountSummary derives root MFA and root keys from the report, fixture values win', async () => {
    const fixture = smallOrg();
    fixture.accounts[0]!.context = { summary: { AccountAccessKeysPresent: 1 } };
    const box = await sandbox({ fixture });
    const member = await iam(box, await assume(box, MEMBER)).send(new GetAccountSummaryCommand({}));
    expect(member.SummaryMap).toMatchObject({ AccountMFAEnabled: 0, AccountAccessKeysPresent: 0, Users: 1 });
    const management = await iam(box).send(new GetAccountSummaryCommand({}));
    expect(management.SummaryMap).toMatchObject({ AccountMFAEnabled: 1, AccountAccessKeysPresent: 1 });
  });

  test('ListVirtualMFADevices lists the root virtual MFA with the root ARN', async () => {
    const box = await sandbox({ fixture: smallOrg() });
    const fixture = smallOrg();
    expect(fixture.accounts[2]!.context).toBeUndefined();
    const out = await iam(box).send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Any' }));
    expect(out.VirtualMFADevices).toEqual([]); // management root uses hardware MFA
    const box2 = await sandbox({
      fixture: {
        ...fixture,
        accounts: fixture.accounts.map((a) => (a.id === MGMT ? { ...a, context: { rootMfa: 'virtual' as const } } : a)),
      },
    });
    const virtual = await iam(box2).send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned' }));
    expect(virtual.IsTruncated).toBe(false);
    expect(virtual.VirtualMFADevices).toHaveLength(1);
    expect(virtual.VirtualMFADevices?.[0]?.SerialNumber).toBe(`arn:aws:iam::${MGMT}:mfa/root-account-mfa-device`);
    expect(virtual.VirtualMFADevices?.[0]?.User?.Arn).toBe(`arn:aws:iam::${MGMT}:root`);
    expect(virtual.VirtualMFADevices?.[0]?.EnableDate).toBeInstanceOf(Date);
  });

  test('GetAccountPasswordPolicy returns the policy, or NoSuchEntity 404 when there is none', async () => {
    const box = await sandbox({ fixture: smallOrg() });
    const policy = await iam(box).send(new GetAccountPasswordPolicyCommand({}));
    expect(policy.PasswordPolicy).toMatchObject({ MinimumPasswordLength: 14, RequireSymbols: true });
    const error = await failure(async () => iam(box, await assume(box, MEMBER)).send(new GetAccountPasswordPolicyCommand({})));
    expect(error).toBeInstanceOf(NoSuchEntityException);
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  test('ListOrganizationsFeatures answers the management account only', async () => {
    const box = await sandbox({ fixture: smallOrg() });
    const out = await iam(box).send(new ListOrganizationsFeaturesCommand({}));
    expect(out.OrganizationId).toBe('o-test123456');
    expect(out.EnabledFeatures).toEqual(['RootCredentialsManagement', 'RootSessions']);
    const error = await failure(async () => iam(box, await assume(box, MEMBER)).send(new ListOrganizationsFeaturesCommand({})));
    expect(error).toBeInstanceOf(AccountNotManagementOrDelegatedAdministratorException);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  test('ListOrganizationsFeatures without all features or IAM trusted access answers their errors', async () => {
    const billing = await sandbox({ fixture: { ...smallOrg(), featureSet: 'CONSOLIDATED_BILLING' } });
    const notAll = await failure(() => iam(billing).send(new ListOrganizationsFeaturesCommand({})));
    expect(notAll).toBeInstanceOf(OrganizationNotInAllFeaturesModeException);
    expect(notAll.$metadata.httpStatusCode).toBe(400);
    const untrusted = await sandbox({ fixture: { ...smallOrg(), iamTrustedAccess: false } });
    expect(await failure(() => iam(untrusted).send(new ListOrganizationsFeaturesCommand({})))).toBeInstanceOf(
      ServiceAccessNotEnabledException,
    );
  });

  test('GetAccountAuthorizationDetails paginates with Marker and URL-encodes policy documents', async () => {
    const fixture = smallOrg();
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] };
    fixture.accounts[0]!.context = {
      authorizationDetails: {
        UserDetailList: [1, 2, 3].map((i) => ({
          UserName: `u${i}`,
          Arn: `arn:aws:iam::${MGMT}:user/u${i}`,
          UserPolicyList: [{ PolicyName: 'p', PolicyDocument: doc }],
          GroupList: ['g'],
        })),
        RoleDetailList: [{ RoleName: 'r', Arn: `arn:aws:iam::${MGMT}:role/r`, AssumeRolePolicyDocument: JSON.stringify(doc) }],
        Policies: [
          {
            PolicyName: 'AdministratorAccess',
            Arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
            PolicyVersionList: [{ Document: doc, VersionId: 'v1', IsDefaultVersion: true }],
          },
        ],
      },
    };
    const box = await sandbox({ fixture });
    const client = iam(box);
    const first = await client.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 2 }));
    expect(first.IsTruncated).toBe(true);
    expect(first.Marker).toBeTruthy();
    expect(first.UserDetailList?.map((u) => u.UserName)).toEqual(['u1', 'u2']);
    expect(first.UserDetailList?.[0]?.GroupList).toEqual(['g']);
    // The SDK leaves documents as AWS sends them: URL-encoded JSON.
    expect(JSON.parse(decodeURIComponent(first.UserDetailList?.[0]?.UserPolicyList?.[0]?.PolicyDocument ?? ''))).toEqual(doc);
    const pages = [];
    for await (const page of paginateGetAccountAuthorizationDetails({ client, pageSize: 2 }, {})) pages.push(page);
    expect(pages).toHaveLength(3);
    expect(pages.flatMap((p) => p.UserDetailList ?? [])).toHaveLength(3);
    const role = pages.flatMap((p) => p.RoleDetailList ?? [])[0];
    expect(JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? ''))).toEqual(doc);
    const roles = await client.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role', 'AWSManagedPolicy'] }));
    expect(roles.UserDetailList).toEqual([]);
    expect(roles.RoleDetailList).toHaveLength(1);
    expect(roles.Policies?.[0]?.PolicyVersionList?.[0]?.IsDefaultVersion).toBe(true);
  });

  test('GetAccountAuthorizationDetails returns the attached AWS-managed policies with their real default documents', async () => {
    const fixture = smallOrg();
    const attach = (...names: string[]) => names.map((n) => ({ PolicyName: n, PolicyArn: `arn:aws:iam::aws:policy/${n}` }));
    fixture.accounts[0]!.context = {
      authorizationDetails: {
        UserDetailList: [
          {
            UserName: 'a',
            Arn: `arn:aws:iam::${MGMT}:user/a`,
            AttachedManagedPolicies: attach('IAMUserChangePassword', 'PowerUserAccess'),
            PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/IAMFullAccess' },
          },
        ],
        GroupDetailList: [
          {
            GroupName: 'g',
            Arn: `arn:aws:iam::${MGMT}:group/g`,
            AttachedManagedPolicies: attach('SecurityAudit', 'ReadOnlyAccess', 'NotInTheCatalogue'),
          },
        ],
        RoleDetailList: [
          {
            RoleName: 'r',
            Arn: `arn:aws:iam::${MGMT}:role/r`,
            AssumeRolePolicyDocument: '{}',
            AttachedManagedPolicies: attach('AdministratorAccess'),
          },
        ],
      },
    };
    const box = await sandbox({ fixture });
    const out = await iam(box).send(new GetAccountAuthorizationDetailsCommand({}));
    const byName = new Map((out.Policies ?? []).map((p) => [p.PolicyName, p]));
    expect([...byName.keys()].sort()).toEqual([
      'AdministratorAccess',
      'IAMFullAccess',
      'IAMUserChangePassword',
      'PowerUserAccess',
      'ReadOnlyAccess',
      'SecurityAudit',
    ]);
    const document = (name: string) =>
      JSON.parse(decodeURIComponent(byName.get(name)?.PolicyVersionList?.find((v) => v.IsDefaultVersion)?.Document ?? '')) as {
        Statement: Record<string, unknown>[];
      };
    expect(document('AdministratorAccess').Statement).toEqual([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
    expect(document('PowerUserAccess').Statement[0]).toEqual({
      Effect: 'Allow',
      NotAction: ['iam:*', 'organizations:*', 'account:*'],
      Resource: '*',
    });
    expect(document('IAMUserChangePassword').Statement[0]).toEqual({
      Effect: 'Allow',
      Action: ['iam:ChangePassword'],
      Resource: ['arn:aws:iam::*:user/${aws:username}'],
    });
    expect(document('IAMFullAccess').Statement[0]?.Action).toContain('iam:*');
    expect(byName.get('IAMFullAccess')).toMatchObject({
      Arn: 'arn:aws:iam::aws:policy/IAMFullAccess',
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 1,
      DefaultVersionId: 'v2',
    });
    expect(document('SecurityAudit').Statement[0]?.Action).toEqual(expect.arrayContaining(['iam:Get*', 'iam:List*']));
    // AWS-managed policies the sandbox does not know stay absent: never an empty document.
    expect(byName.has('NotInTheCatalogue')).toBe(false);
    // The AWSManagedPolicy filter selects them, LocalManagedPolicy does not.
    expect((await iam(box).send(new GetAccountAuthorizationDetailsCommand({ Filter: ['LocalManagedPolicy'] }))).Policies).toEqual([]);
  });

  test('ListAccessKeys lists the fixture’s keys for a user', async () => {
    const fixture = smallOrg();
    fixture.accounts[0]!.context = {
      accessKeys: { admin: [{ AccessKeyId: 'AKIAEXAMPLEADMIN0001', Status: 'Active', CreateDate: '2024-01-01T00:00:00Z' }] },
    };
    const box = await sandbox({ fixture });
    const out = await iam(box).send(new ListAccessKeysCommand({ UserName: 'admin' }));
    expect(out.AccessKeyMetadata?.[0]).toMatchObject({ UserName: 'admin', AccessKeyId: 'AKIAEXAMPLEADMIN0001', Status: 'Active' });
    expect(out.AccessKeyMetadata?.[0]?.CreateDate).toEqual(new Date('2024-01-01T00:00:00Z'));
  });
});

describe('IAM errors', () => {
  test('denied operations answer AccessDenied 403', async () => {
    const fixture = smallOrg();
    fixture.accounts[1]!.faults = { denyOperations: ['GetAccountSummary'] };
    const box = await sandbox({ fixture });
    const error = await failure(async () => iam(box, await assume(box, MEMBER)).send(new GetAccountSummaryCommand({})));
    expect(error).toBeInstanceOf(IAMServiceException);
    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  test('injected server errors answer ServiceFailure 500', async () => {
    const fixture = smallOrg();
    fixture.accounts[1]!.faults = { serverErrors: 1 };
    const box = await sandbox({ fixture });
    const client = iam(box, await assume(box, MEMBER));
    const error = await failure(() => client.send(new GetCredentialReportCommand({})));
    expect(error).toBeInstanceOf(ServiceFailureException);
    expect(error.$metadata.httpStatusCode).toBe(500);
    expect((await client.send(new GetCredentialReportCommand({}))).$metadata.httpStatusCode).toBe(200);
  });

  test('Query errors are an ErrorResponse in the service namespace, Sender for client faults and Receiver for server faults', async () => {
    const fixture = smallOrg();
    fixture.accounts[1]!.report = { ...fixture.accounts[1]!.report, state: 'absent' };
    fixture.accounts[1]!.faults = { serverErrors: 1 };
    const box = await sandbox({ fixture });
    const client = iam(box, await assume(box, MEMBER));
    const server = await failure(() => client.send(new GetCredentialReportCommand({})));
    expect(server).toMatchObject({ Code: 'ServiceFailure', Type: 'Receiver', $fault: 'server' });
    const missing = await failure(() => client.send(new GetCredentialReportCommand({})));
    // The SDK keeps the wire code in Code and names the exception after the modelled shape.
    expect(missing).toMatchObject({
      name: 'CredentialReportNotPresentException',
      Code: 'ReportNotPresent',
      Type: 'Sender',
      xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/',
    });
  });

  test('unknown keys answer InvalidClientTokenId 403', async () => {
    const box = await sandbox({ fixture: smallOrg() });
    const error = await failure(() =>
      iam(box, { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }).send(new GetAccountSummaryCommand({})),
    );
    expect(error.name).toBe('InvalidClientTokenId');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(box.callLog.at(-1)).toMatchObject({
      operation: 'GetAccountSummary',
      accountId: '',
      status: 403,
      errorCode: 'InvalidClientTokenId',
    });
  });
});
