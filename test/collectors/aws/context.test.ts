import {
  AccountNotManagementOrDelegatedAdministratorException,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  IAMClient,
  IAMServiceException,
  ListOrganizationsFeaturesCommand,
  ListVirtualMFADevicesCommand,
  NoSuchEntityException,
  OrganizationNotFoundException,
  OrganizationNotInAllFeaturesModeException,
  ServiceAccessNotEnabledException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  contextAvailability,
  planContext,
  readAccountContext,
  readOrganizationFeatures,
  withAvailability,
} from '../../../src/collectors/aws/context.js';
import { parseCredentialReport } from '../../../src/core/report/parse.js';
import { awsError, reportCsv } from './helpers.js';

const iamMock = mockClient(IAMClient);
afterEach(() => iamMock.reset());
const ID = '222222222222';
const rootOf = (mfa: boolean) => parseCredentialReport(reportCsv(ID, { rootMfa: mfa }), 't.csv').principals[0];
const all = { summary: true, mfaDevices: true, passwordPolicy: true };
const noNeeds = { rootMfa: false, passwordPolicy: false, summary: false };

describe('planContext', () => {
  it('auto: nothing beyond the report unless a call can change a finding', () => {
    expect(planContext('auto', noNeeds, rootOf(true), false, true)).toEqual({ summary: false, mfaDevices: false, passwordPolicy: false });
    expect(planContext('auto', { ...noNeeds, rootMfa: true }, rootOf(true), false, true)).toEqual({
      summary: false,
      mfaDevices: true,
      passwordPolicy: false,
    });
    expect(planContext('auto', { ...noNeeds, rootMfa: true }, rootOf(false), false, true).mfaDevices).toBe(false);
    // Central root management can clear a root-MFA finding, but only for a member whose root has no MFA.
    expect(planContext('auto', noNeeds, rootOf(false), true, true).summary).toBe(true);
    expect(planContext('auto', noNeeds, rootOf(false), true, false).summary).toBe(false);
    expect(planContext('auto', noNeeds, rootOf(true), true, true).summary).toBe(false);
    // Recovery rules ask whether a centrally managed member's root still has a password; nowhere else.
    expect(planContext('auto', { ...noNeeds, recovery: true }, rootOf(true), true, true).summary).toBe(true);
    expect(planContext('auto', { ...noNeeds, recovery: true }, rootOf(true), false, true).summary).toBe(false);
    expect(planContext('auto', { ...noNeeds, recovery: true }, rootOf(true), true, false).summary).toBe(false);
  });

  it('all and none', () => {
    expect(planContext('all', noNeeds, rootOf(false), false, true)).toEqual(all);
    expect(planContext('none', { rootMfa: true, passwordPolicy: true, summary: true }, rootOf(true), true, true)).toEqual({
      summary: false,
      mfaDevices: false,
      passwordPolicy: false,
    });
  });
});

describe('readAccountContext', () => {
  it('tells a virtual root MFA from a hardware one', async () => {
    iamMock.on(ListVirtualMFADevicesCommand).resolves({
      VirtualMFADevices: [
        {
          SerialNumber: `arn:aws:iam::${ID}:mfa/alice`,
          User: { Arn: `arn:aws:iam::${ID}:user/alice`, UserName: 'alice', UserId: 'x', Path: '/', CreateDate: new Date() },
        },
      ],
    });
    expect(
      (await readAccountContext(new IAMClient({}), { ...all, summary: false, passwordPolicy: false }, rootOf(true), 'aws', ID)).rootMfa,
    ).toBe('hardware');
    iamMock.on(ListVirtualMFADevicesCommand).resolves({
      VirtualMFADevices: [
        {
          SerialNumber: `arn:aws:iam::${ID}:mfa/root-account-mfa-device`,
          User: { Arn: `arn:aws:iam::${ID}:root`, UserName: '', UserId: ID, Path: '/', CreateDate: new Date() },
        },
      ],
    });
    expect(
      (await readAccountContext(new IAMClient({}), { ...all, summary: false, passwordPolicy: false }, rootOf(true), 'aws', ID)).rootMfa,
    ).toBe('virtual');
  });

  const mfaOnly = { ...all, summary: false, passwordPolicy: false };
  const device = (serial: string, user?: { Arn: string; UserId?: string }, enabled = true) => ({
    SerialNumber: serial,
    ...(user ? { User: { Path: '/', UserName: '', UserId: user.UserId ?? ID, Arn: user.Arn, CreateDate: new Date() } } : {}),
    ...(enabled ? { EnableDate: new Date() } : {}),
  });

  it('a root virtual device may have any name (root can have several MFA devices), in any partition', async () => {
    iamMock
      .on(ListVirtualMFADevicesCommand)
      .resolves({ VirtualMFADevices: [device(`arn:aws-us-gov:iam::${ID}:mfa/my-phone`, { Arn: `arn:aws-us-gov:iam::${ID}:root` })] });
    expect((await readAccountContext(new IAMClient({}), mfaOnly, rootOf(true), 'aws-us-gov', ID)).rootMfa).toBe('virtual');
    expect(iamMock.commandCalls(ListVirtualMFADevicesCommand)[0]?.args[0].input).toEqual({ AssignmentStatus: 'Assigned' });
  });

  it('the default root serial without a user counts only when the device is enabled', async () => {
    iamMock
      .on(ListVirtualMFADevicesCommand)
      .resolves({ VirtualMFADevices: [device(`arn:aws:iam::${ID}:mfa/root-account-mfa-device`, undefined, false)] });
    expect((await readAccountContext(new IAMClient({}), mfaOnly, rootOf(true), 'aws', ID)).rootMfa).toBe('hardware');
    iamMock.on(ListVirtualMFADevicesCommand).resolves({ VirtualMFADevices: [device(`arn:aws:iam::${ID}:mfa/root-account-mfa-device`)] });
    expect((await readAccountContext(new IAMClient({}), mfaOnly, rootOf(true), 'aws', ID)).rootMfa).toBe('virtual');
  });

  it('follows every page of virtual devices', async () => {
    iamMock
      .on(ListVirtualMFADevicesCommand)
      .resolvesOnce({ VirtualMFADevices: [], IsTruncated: true, Marker: 'm1' })
      .resolves({
        VirtualMFADevices: [device(`arn:aws:iam::${ID}:mfa/root-account-mfa-device`, { Arn: `arn:aws:iam::${ID}:root` })],
        IsTruncated: false,
      });
    expect((await readAccountContext(new IAMClient({}), mfaOnly, rootOf(true), 'aws', ID)).rootMfa).toBe('virtual');
    expect(iamMock.commandCalls(ListVirtualMFADevicesCommand).map((c) => c.args[0].input.Marker)).toEqual([undefined, 'm1']);
  });

  it('a summary without some root keys: present when any key says so, else unknown', async () => {
    iamMock.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 0, AccountAccessKeysPresent: 1 } });
    expect(
      (await readAccountContext(new IAMClient({}), { ...all, mfaDevices: false, passwordPolicy: false }, rootOf(false), 'aws', ID))
        .rootCredentialsPresent,
    ).toBe(true);
    iamMock
      .on(GetAccountSummaryCommand)
      .resolves({ SummaryMap: { AccountMFAEnabled: 0, AccountAccessKeysPresent: 0, AccountSigningCertificatesPresent: 0 } });
    expect(
      (await readAccountContext(new IAMClient({}), { ...all, mfaDevices: false, passwordPolicy: false }, rootOf(false), 'aws', ID))
        .rootCredentialsPresent,
    ).toBe('unknown');
  });

  it('the real NoSuchEntityException (wire code NoSuchEntity) means no password policy', async () => {
    iamMock.on(GetAccountPasswordPolicyCommand).rejects(
      Object.assign(
        new NoSuchEntityException({
          message: 'The Password Policy with domain name x cannot be found.',
          $metadata: { httpStatusCode: 404 },
        }),
        { Code: 'NoSuchEntity' },
      ),
    );
    expect(
      (await readAccountContext(new IAMClient({}), { ...all, summary: false, mfaDevices: false }, rootOf(true), 'aws', ID)).passwordPolicy,
    ).toBe('none');
  });

  it('reads the summary and password policy; NoSuchEntity means no policy', async () => {
    iamMock.on(GetAccountSummaryCommand).resolves({
      SummaryMap: {
        AccountMFAEnabled: 0,
        AccountAccessKeysPresent: 0,
        AccountPasswordPresent: 0,
        AccountSigningCertificatesPresent: 0,
        Users: 3,
      },
    });
    iamMock
      .on(GetAccountPasswordPolicyCommand)
      .rejects(awsError('NoSuchEntityException', 'The Password Policy with domain name x cannot be found.'));
    const facts = await readAccountContext(new IAMClient({}), all, rootOf(false), 'aws', ID);
    expect(facts).toEqual({
      rootMfa: 'none',
      accountSummary: {
        AccountMFAEnabled: 0,
        AccountAccessKeysPresent: 0,
        AccountPasswordPresent: 0,
        AccountSigningCertificatesPresent: 0,
        Users: 3,
      },
      rootCredentialsPresent: false,
      rootPasswordPresent: false,
      passwordPolicy: 'none',
    });
    expect(iamMock.commandCalls(ListVirtualMFADevicesCommand)).toHaveLength(0);
  });

  it('a denied call degrades its facts to unknown and says why; the others still work', async () => {
    iamMock.on(GetAccountSummaryCommand).rejects(awsError('AccessDenied', 'not authorized to perform: iam:GetAccountSummary'));
    iamMock.on(ListVirtualMFADevicesCommand).rejects(awsError('AccessDenied', 'not authorized to perform: iam:ListVirtualMFADevices'));
    iamMock.on(GetAccountPasswordPolicyCommand).resolves({ PasswordPolicy: { MinimumPasswordLength: 14 } });
    const facts = await readAccountContext(new IAMClient({}), all, rootOf(true), 'aws', ID);
    expect(facts.rootMfa).toBe('unknown');
    expect(facts.rootCredentialsPresent).toBe('unknown');
    expect(facts.passwordPolicy).toEqual({ MinimumPasswordLength: 14 });
    expect(facts.contextUnknown).toEqual([
      'GetAccountSummary: AccessDenied: not authorized to perform: iam:GetAccountSummary',
      'ListVirtualMFADevices: AccessDenied: not authorized to perform: iam:ListVirtualMFADevices',
    ]);
  });
});

describe('readOrganizationFeatures', () => {
  it('reads centrally managed root credentials', async () => {
    iamMock.on(ListOrganizationsFeaturesCommand).resolves({ OrganizationId: 'o-abc', EnabledFeatures: ['RootCredentialsManagement'] });
    expect(await readOrganizationFeatures(new IAMClient({}))).toEqual({ rootCredentialsManagement: true, rootSessions: false });
  });

  it.each([
    ['OrganizationNotFoundException', new OrganizationNotFoundException({ message: 'no organization', $metadata: {} })],
    [
      'OrganizationNotInAllFeaturesModeException',
      new OrganizationNotInAllFeaturesModeException({ message: 'not all features', $metadata: {} }),
    ],
    ['ServiceAccessNotEnabledException', new ServiceAccessNotEnabledException({ message: 'no trusted access for IAM', $metadata: {} })],
  ])('%s: root credentials cannot be centrally managed (false)', async (_name, error) => {
    iamMock.on(ListOrganizationsFeaturesCommand).rejects(error);
    expect(await readOrganizationFeatures(new IAMClient({}))).toEqual({ rootCredentialsManagement: false, rootSessions: false });
  });

  it.each([
    ['not the management account', new AccountNotManagementOrDelegatedAdministratorException({ message: 'not management', $metadata: {} })],
    [
      'AccessDenied (generic ServiceException)',
      new IAMServiceException({ name: 'AccessDenied', $fault: 'client', message: 'denied', $metadata: { httpStatusCode: 403 } }),
    ],
  ])('%s: unknown, with the reason', async (_what, error) => {
    iamMock.on(ListOrganizationsFeaturesCommand).rejects(error);
    const facts = await readOrganizationFeatures(new IAMClient({}));
    expect(facts).toMatchObject({ rootCredentialsManagement: 'unknown', rootSessions: 'unknown' });
    expect(facts.unknownBecause).toMatch(
      /^ListOrganizationsFeatures: (AccountNotManagementOrDelegatedAdministratorException|AccessDenied): /,
    );
  });

  it('is unknown when not allowed', async () => {
    iamMock.on(ListOrganizationsFeaturesCommand).rejects(awsError('AccessDenied', 'denied'));
    expect(await readOrganizationFeatures(new IAMClient({}))).toEqual({
      rootCredentialsManagement: 'unknown',
      rootSessions: 'unknown',
      unknownBecause: 'ListOrganizationsFeatures: AccessDenied: denied',
    });
  });
});

describe('contextAvailability (factsCollected / factsUnavailable)', () => {
  const none = { summary: false, mfaDevices: false, passwordPolicy: false };

  it('decided values are collected; failed calls are unavailable with the reason; calls nobody needed are not listed', async () => {
    iamMock.on(GetAccountSummaryCommand).rejects(awsError('AccessDenied', 'not authorized'));
    iamMock.on(ListVirtualMFADevicesCommand).resolves({ VirtualMFADevices: [] });
    iamMock.on(GetAccountPasswordPolicyCommand).rejects(awsError('NoSuchEntity'));
    const facts = {
      ...(await readAccountContext(new IAMClient({}), all, rootOf(true), 'aws', ID)),
      rootCredentialsManagement: true,
      rootSessions: false,
    };
    const availability = contextAvailability('all', all, facts, rootOf(true));
    expect(availability.collected.sort()).toEqual(['passwordPolicy', 'rootCredentialsManagement', 'rootMfa', 'rootSessions']);
    expect(availability.unavailable).toEqual({
      accountSummary: 'GetAccountSummary: AccessDenied: not authorized',
      rootCredentialsPresent: 'GetAccountSummary: AccessDenied: not authorized',
      rootPasswordPresent: 'GetAccountSummary: AccessDenied: not authorized',
    });
    const quiet = contextAvailability(
      'all',
      none,
      {
        rootMfa: 'unknown',
        accountSummary: 'unknown',
        rootCredentialsPresent: 'unknown',
        passwordPolicy: 'unknown',
        rootCredentialsManagement: false,
        rootSessions: false,
      },
      rootOf(true),
    );
    expect(quiet).toEqual({ collected: ['rootCredentialsManagement', 'rootSessions'], unavailable: {} });
  });

  it('auto lists rootCredentialsPresent when it skipped GetAccountSummary because the answer could not change a finding', () => {
    const facts = {
      rootMfa: 'none',
      accountSummary: 'unknown',
      rootCredentialsPresent: 'unknown',
      passwordPolicy: 'unknown',
      rootCredentialsManagement: 'unknown',
      rootSessions: 'unknown',
    };
    const availability = contextAvailability('auto', none, facts, rootOf(false), 'ListOrganizationsFeatures: AccessDenied');
    expect(availability.collected).toEqual(['rootMfa', 'rootCredentialsPresent', 'rootPasswordPresent']);
    expect(availability.unavailable).toEqual({
      rootCredentialsManagement: 'ListOrganizationsFeatures: AccessDenied',
      rootSessions: 'ListOrganizationsFeatures: AccessDenied',
    });
  });

  it("a report without a root row (moto's management account) cannot decide rootMfa", () => {
    const facts = {
      rootMfa: 'unknown',
      accountSummary: 'unknown',
      rootCredentialsPresent: 'unknown',
      passwordPolicy: 'unknown',
      rootCredentialsManagement: false,
      rootSessions: false,
    };
    expect(contextAvailability('auto', none, facts, undefined).unavailable.rootMfa).toBe('the credential report has no root user row');
  });

  it('withAvailability: a root unavailable in any part is not collected', () => {
    const account = { id: ID, reportGeneratedTime: '2026-11-01T00:00:00Z', principals: [] };
    const merged = withAvailability(
      account,
      { collected: ['passwordPolicy', 'rootMfa'], unavailable: {} },
      { collected: ['recovery'], unavailable: { passwordPolicy: 'GetAccountPasswordPolicy: AccessDenied' } },
    );
    expect(merged.factsCollected).toEqual(['recovery', 'rootMfa']);
    expect(merged.factsUnavailable).toEqual({ passwordPolicy: 'GetAccountPasswordPolicy: AccessDenied' });
  });
});
