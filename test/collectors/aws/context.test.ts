import { GetAccountPasswordPolicyCommand, GetAccountSummaryCommand, IAMClient, ListOrganizationsFeaturesCommand, ListVirtualMFADevicesCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { planContext, readAccountContext, readOrganizationFeatures } from '../../../src/collectors/aws/context.js';
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
    expect(planContext('auto', { ...noNeeds, rootMfa: true }, rootOf(true), false, true)).toEqual({ summary: false, mfaDevices: true, passwordPolicy: false });
    expect(planContext('auto', { ...noNeeds, rootMfa: true }, rootOf(false), false, true).mfaDevices).toBe(false);
    // Central root management can clear a root-MFA finding, but only for a member whose root has no MFA.
    expect(planContext('auto', noNeeds, rootOf(false), true, true).summary).toBe(true);
    expect(planContext('auto', noNeeds, rootOf(false), true, false).summary).toBe(false);
    expect(planContext('auto', noNeeds, rootOf(true), true, true).summary).toBe(false);
  });

  it('all and none', () => {
    expect(planContext('all', noNeeds, rootOf(false), false, true)).toEqual(all);
    expect(planContext('none', { rootMfa: true, passwordPolicy: true, summary: true }, rootOf(true), true, true)).toEqual({ summary: false, mfaDevices: false, passwordPolicy: false });
  });
});

describe('readAccountContext', () => {
  it('tells a virtual root MFA from a hardware one', async () => {
    iamMock.on(ListVirtualMFADevicesCommand).resolves({ VirtualMFADevices: [{ SerialNumber: `arn:aws:iam::${ID}:mfa/alice`, User: { Arn: `arn:aws:iam::${ID}:user/alice`, UserName: 'alice', UserId: 'x', Path: '/', CreateDate: new Date() } }] });
    expect((await readAccountContext(new IAMClient({}), { ...all, summary: false, passwordPolicy: false }, rootOf(true), 'aws', ID)).rootMfa).toBe('hardware');
    iamMock.on(ListVirtualMFADevicesCommand).resolves({ VirtualMFADevices: [{ SerialNumber: `arn:aws:iam::${ID}:mfa/root-account-mfa-device`, User: { Arn: `arn:aws:iam::${ID}:root`, UserName: '', UserId: ID, Path: '/', CreateDate: new Date() } }] });
    expect((await readAccountContext(new IAMClient({}), { ...all, summary: false, passwordPolicy: false }, rootOf(true), 'aws', ID)).rootMfa).toBe('virtual');
  });

  it('reads the summary and password policy; NoSuchEntity means no policy', async () => {
    iamMock.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 0, AccountAccessKeysPresent: 0, AccountPasswordPresent: 0, AccountSigningCertificatesPresent: 0, Users: 3 } });
    iamMock.on(GetAccountPasswordPolicyCommand).rejects(awsError('NoSuchEntityException', 'The Password Policy with domain name x cannot be found.'));
    const facts = await readAccountContext(new IAMClient({}), all, rootOf(false), 'aws', ID);
    expect(facts).toEqual({
      rootMfa: 'none',
      accountSummary: { AccountMFAEnabled: 0, AccountAccessKeysPresent: 0, AccountPasswordPresent: 0, AccountSigningCertificatesPresent: 0, Users: 3 },
      rootCredentialsPresent: false,
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

  it('is unknown when not allowed', async () => {
    iamMock.on(ListOrganizationsFeaturesCommand).rejects(awsError('AccessDenied', 'denied'));
    expect(await readOrganizationFeatures(new IAMClient({}))).toEqual({ rootCredentialsManagement: 'unknown', rootSessions: 'unknown', unknownBecause: 'ListOrganizationsFeatures: AccessDenied: denied' });
  });
});
