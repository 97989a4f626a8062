import {
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, AssumeRootCommand, GetCallerIdentityCommand, STSServiceException } from '@aws-sdk/client-sts';
import { describe, expect, test } from 'vitest';
import { MEMBER, MGMT, OTHER, assume, failure, iam, sandbox, smallOrg, sts } from './helpers.js';

const roleArn = (account: string, role = 'OrganizationAccountAccessRole') => `arn:aws:iam::${account}:role/${role}`;

describe('STS', () => {
  test('GetCallerIdentity names the management account for the base keys', async () => {
    const box = await sandbox({ fixture: smallOrg() });
    const out = await sts(box).send(new GetCallerIdentityCommand({}));
    expect(out).toMatchObject({ Account: MGMT, Arn: `arn:aws:iam::${MGMT}:user/credwarden-sandbox` });
  });

  test('AssumeRole issues distinct per-account keys that resolve to that account', async () => {
    const now = Date.parse('2026-11-27T03:00:00Z');
    const box = await sandbox({ fixture: smallOrg(), now: () => now });
    const out = await sts(box).send(
      new AssumeRoleCommand({ RoleArn: roleArn(MEMBER), RoleSessionName: 'credwarden', DurationSeconds: 900 }),
    );
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(out.Credentials?.Expiration).toEqual(new Date(now + 900_000));
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${MEMBER}:assumed-role/OrganizationAccountAccessRole/credwarden`);

    const keys = await assume(box, OTHER, 'Audit').catch(() => undefined);
    expect(keys).toBeUndefined(); // needs its external id
    const other = await sts(box).send(
      new AssumeRoleCommand({ RoleArn: roleArn(OTHER, 'Audit'), RoleSessionName: 'credwarden', ExternalId: 'ext-123' }),
    );
    expect(other.Credentials?.AccessKeyId).not.toBe(out.Credentials?.AccessKeyId);

    const memberKeys = {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!,
    };
    const identity = await sts(box, memberKeys).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(MEMBER);
    await iam(box, memberKeys).send(new GetCredentialReportCommand({}));
    const reportCall = box.callLog.find((c) => c.operation === 'GetCredentialReport');
    expect(reportCall).toMatchObject({ service: 'iam', accessKeyId: memberKeys.accessKeyId, accountId: MEMBER, status: 200 });
    const assumeCall = box.callLog.find((c) => c.operation === 'AssumeRole');
    expect(assumeCall).toMatchObject({ service: 'sts', accountId: MGMT, targetAccountId: MEMBER, status: 200 });
  });

  test('the call log never holds secrets or session tokens', async () => {
    const box = await sandbox({ fixture: smallOrg() });
    const keys = await assume(box, MEMBER);
    await iam(box, keys).send(new GetCredentialReportCommand({}));
    const log = JSON.stringify(box.callLog);
    expect(log).toContain(keys.accessKeyId);
    expect(log).not.toContain(keys.secretAccessKey);
    expect(log).not.toContain(keys.sessionToken);
    expect(log).not.toContain(box.credentials.secretAccessKey);
  });

  test.each([
    ['a role the fixture does not have', roleArn(MEMBER, 'Nope'), {}],
    ['an account outside the organisation', roleArn('999999999999'), {}],
    ['a suspended account', roleArn('444444444444'), {}],
    ['a wrong external id', roleArn(OTHER, 'Audit'), { ExternalId: 'wrong' }],
  ])('AssumeRole into %s answers AccessDenied 403', async (_what, arn, extra) => {
    const box = await sandbox({ fixture: smallOrg() });
    const error = await failure(() => sts(box).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'credwarden', ...extra })));
    expect(error).toBeInstanceOf(STSServiceException);
    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  test('AssumeRole is denied for accounts chosen by fault injection (fixture or options)', async () => {
    const fixture = smallOrg();
    fixture.accounts[1]!.faults = { denyAssumeRole: true };
    const box = await sandbox({ fixture });
    expect((await failure(() => assume(box, MEMBER))).name).toBe('AccessDenied');
    expect(box.callLog[0]).toMatchObject({ operation: 'AssumeRole', targetAccountId: MEMBER, status: 403, errorCode: 'AccessDenied' });
    const box2 = await sandbox({ fixture: smallOrg(), faults: { denyAssumeRole: [MEMBER] } });
    expect((await failure(() => assume(box2, MEMBER))).name).toBe('AccessDenied');
    // Other accounts are unaffected.
    const other = await sts(box2).send(
      new AssumeRoleCommand({ RoleArn: roleArn(OTHER, 'Audit'), RoleSessionName: 'credwarden', ExternalId: 'ext-123' }),
    );
    expect(other.$metadata.httpStatusCode).toBe(200);
  });

  test.each([
    ['a malformed role ARN', { RoleArn: 'arn:aws:iam::12345:role/x', RoleSessionName: 'ok' }],
    ['a bad session name', { RoleArn: roleArn(MEMBER), RoleSessionName: 'has space' }],
    ['a too long duration', { RoleArn: roleArn(MEMBER), RoleSessionName: 'ok', DurationSeconds: 7200 }],
  ])('AssumeRole with %s answers ValidationError 400', async (_what, input) => {
    const box = await sandbox({ fixture: smallOrg() });
    const error = await failure(() => sts(box).send(new AssumeRoleCommand(input)));
    expect(error.name).toBe('ValidationError');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  test('temporary keys need their session token and expire', async () => {
    let clock = Date.parse('2026-11-27T03:00:00Z');
    const box = await sandbox({ fixture: smallOrg(), now: () => clock });
    const keys = await assume(box, MEMBER);
    const noToken = await failure(() =>
      sts(box, { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey }).send(new GetCallerIdentityCommand({})),
    );
    expect(noToken.name).toBe('InvalidClientTokenId');
    expect(noToken.$metadata.httpStatusCode).toBe(403);
    clock += 3_601_000;
    const expired = await failure(() => sts(box, keys).send(new GetCallerIdentityCommand({})));
    expect(expired.name).toBe('ExpiredToken');
    expect(expired.$metadata.httpStatusCode).toBe(403);
  });

  test('role chaining: a role session may not assume a role for more than one hour', async () => {
    const box = await sandbox({ fixture: smallOrg() });
    const session = await assume(box, MEMBER);
    const input = {
      RoleArn: `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`,
      RoleSessionName: 'chained',
      DurationSeconds: 7200,
    };
    const error = await failure(() => sts(box, session).send(new AssumeRoleCommand(input)));
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    expect((await sts(box, session).send(new AssumeRoleCommand({ ...input, DurationSeconds: 3600 }))).Credentials?.AccessKeyId).toMatch(
      /^ASIA/,
    );
  });
});

describe('STS AssumeRoot (centralized root access)', () => {
  const task = (name: string) => ({ arn: `arn:aws:iam::aws:policy/root-task/${name}` });
  const rootSession = async (box: Awaited<ReturnType<typeof sandbox>>, name: string) => {
    const out = await sts(box).send(new AssumeRootCommand({ TargetPrincipal: MEMBER, TaskPolicyArn: task(name), DurationSeconds: 900 }));
    const c = out.Credentials!;
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  };

  test('the session is root of the member account, limited to its task policy: no task policy manages IAM users', async () => {
    const box = await sandbox({ fixture: smallOrg({ features: ['RootCredentialsManagement', 'RootSessions'] }) });
    const audit = await rootSession(box, 'IAMAuditRootUserCredentials');
    expect((await sts(box, audit).send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:iam::${MEMBER}:root`);
    expect((await iam(box, audit).send(new GetAccountSummaryCommand({}))).SummaryMap).toBeDefined();
    for (const command of [new GetCredentialReportCommand({}), new GetAccountAuthorizationDetailsCommand({})]) {
      const error = await failure(() => iam(box, audit).send(command));
      expect(error).toMatchObject({
        name: 'AccessDenied',
        message: expect.stringMatching(/explicit deny in the IAMAuditRootUserCredentials task policy/),
      });
    }
    // The root's own credentials are in scope; another user's are not.
    const remove = await rootSession(box, 'IAMDeleteRootUserCredentials');
    expect((await failure(() => iam(box, remove).send(new ListAccessKeysCommand({ UserName: 'app' })))).message).toMatch(
      /explicit deny in the IAMDeleteRootUserCredentials task policy/,
    );
    expect((await failure(() => iam(box, remove).send(new ListAccessKeysCommand({})))).name).not.toBe('AccessDenied');
    const password = await rootSession(box, 'IAMCreateRootUserPassword');
    expect((await failure(() => iam(box, password).send(new ListAccessKeysCommand({ UserName: 'app' })))).name).toBe('AccessDenied');
    // A root session cannot start another one.
    expect(
      (
        await failure(() =>
          sts(box, password).send(new AssumeRootCommand({ TargetPrincipal: MEMBER, TaskPolicyArn: task('IAMAuditRootUserCredentials') })),
        )
      ).name,
    ).toBe('AccessDenied');
  });

  test('only the management account with RootSessions enabled, only into members, only the five task policies, at most 15 minutes', async () => {
    const off = await sandbox({ fixture: smallOrg({ features: ['RootCredentialsManagement'] }) });
    expect(
      (
        await failure(() =>
          sts(off).send(new AssumeRootCommand({ TargetPrincipal: MEMBER, TaskPolicyArn: task('IAMAuditRootUserCredentials') })),
        )
      ).name,
    ).toBe('AccessDenied');
    const box = await sandbox({ fixture: smallOrg({ features: ['RootCredentialsManagement', 'RootSessions'] }) });
    expect(
      (
        await failure(() =>
          sts(box).send(new AssumeRootCommand({ TargetPrincipal: MGMT, TaskPolicyArn: task('IAMAuditRootUserCredentials') })),
        )
      ).name,
    ).toBe('AccessDenied');
    expect(
      (
        await failure(async () =>
          sts(box, await assume(box, MEMBER)).send(
            new AssumeRootCommand({ TargetPrincipal: OTHER, TaskPolicyArn: task('IAMAuditRootUserCredentials') }),
          ),
        )
      ).name,
    ).toBe('AccessDenied');
    expect(
      (
        await failure(() =>
          sts(box).send(
            new AssumeRootCommand({ TargetPrincipal: MEMBER, TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }),
          ),
        )
      ).name,
    ).toBe('ValidationError');
    expect(
      (
        await failure(() =>
          sts(box).send(
            new AssumeRootCommand({ TargetPrincipal: MEMBER, TaskPolicyArn: task('S3UnlockBucketPolicy'), DurationSeconds: 3600 }),
          ),
        )
      ).name,
    ).toBe('ValidationError');
  });
});
