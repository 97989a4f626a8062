import { AssumeRoleCommand, GetCallerIdentityCommand, RegionDisabledException, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { assumeAccountRole, callerIdentity, partitionOf } from '../../../src/collectors/aws/assume.js';
import { chainedRoleOptions } from '../../../src/collectors/aws/collect.js';
import { AccountFailure } from '../../../src/collectors/aws/errors.js';
import { withDefaults } from '../../../src/collectors/aws/options.js';

const stsMock = mockClient(STSClient);
afterEach(() => stsMock.reset());
const role = { roleName: 'OrganizationAccountAccessRole', roleSessionName: 'credwarden', durationSeconds: 3600 };

describe('caller identity', () => {
  it.each([
    ['an IAM user', 'arn:aws:iam::111111111111:user/scanner', 'aws'],
    ['the root user', 'arn:aws:iam::111111111111:root', 'aws'],
    ['an SSO assumed role', 'arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_SecurityAudit_0123456789abcdef/jane@example.com', 'aws'],
    ['a China assumed role', 'arn:aws-cn:sts::111111111111:assumed-role/Scanner/ci', 'aws-cn'],
    ['a GovCloud user', 'arn:aws-us-gov:iam::111111111111:user/scanner', 'aws-us-gov'],
  ])('%s: account and partition from the ARN', async (_who, Arn, partition) => {
    stsMock.on(GetCallerIdentityCommand).resolves({ Account: '111111111111', Arn, UserId: 'AIDAEXAMPLE' });
    expect(await callerIdentity(new STSClient({}))).toEqual({ accountId: '111111111111', arn: Arn, partition });
    expect(partitionOf(Arn)).toBe(partition);
  });
});

describe('assumeAccountRole', () => {
  it("builds the role ARN in the caller's partition and passes the ExternalId", async () => {
    stsMock.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date('2026-11-27T05:00:00Z') },
    });
    const credentials = await assumeAccountRole(new STSClient({}), 'aws-us-gov', '222222222222', { ...role, externalId: 'ext-1' });
    expect(credentials).toEqual({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 's',
      sessionToken: 't',
      expiration: new Date('2026-11-27T05:00:00Z'),
    });
    expect(stsMock.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({
      RoleArn: 'arn:aws-us-gov:iam::222222222222:role/OrganizationAccountAccessRole',
      RoleSessionName: 'credwarden',
      DurationSeconds: 3600,
      ExternalId: 'ext-1',
    });
  });

  it.each([
    [
      'AccessDenied (generic STSServiceException)',
      new STSServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        message:
          'User: arn:aws:iam::111111111111:user/scanner is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
        $metadata: { httpStatusCode: 403 },
      }),
      /^cannot assume arn:aws:iam::222222222222:role\/OrganizationAccountAccessRole: AccessDenied: User: .* is not authorized to perform: sts:AssumeRole/,
    ],
    [
      'RegionDisabledException',
      new RegionDisabledException({
        message: 'STS is not activated in this region for account:222222222222.',
        $metadata: { httpStatusCode: 403 },
      }),
      /RegionDisabledException: STS is not activated/,
    ],
  ])('%s fails only the account, with the reason', async (_what, error, reason) => {
    stsMock.on(AssumeRoleCommand).rejects(error);
    const failure = await assumeAccountRole(new STSClient({}), 'aws', '222222222222', role).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AccountFailure);
    expect((failure as Error).message).toMatch(reason);
  });
});

describe('chainedRoleOptions', () => {
  const options = withDefaults({ selection: { mode: 'org' }, durationSeconds: 7200 });
  it('caps the session at 1h for an assumed-role caller only', () => {
    const chained = chainedRoleOptions(options, { accountId: '1', arn: 'arn:aws:sts::111111111111:assumed-role/Ci/run', partition: 'aws' });
    expect(chained.roleOptions.durationSeconds).toBe(3600);
    expect(chained.warning).toMatch(/^--duration capped at 1h/);
    expect(chainedRoleOptions(options, { accountId: '1', arn: 'arn:aws:iam::111111111111:user/scanner', partition: 'aws' })).toEqual({
      roleOptions: options,
    });
  });
});
