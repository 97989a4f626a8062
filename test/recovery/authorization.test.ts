import { GetAccountAuthorizationDetailsCommand, GetAccountPasswordPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { collectRecovery, readAuthorizationDetails, readPasswordPolicy, ScpReader } from '../../src/collectors/aws/authorization.js';
import type { Account, Principal } from '../../src/model/index.js';
import { awsError } from '../collectors/aws/helpers.js';

const iamMock = mockClient(IAMClient);
const orgMock = mockClient(OrganizationsClient);
afterEach(() => {
  iamMock.reset();
  orgMock.reset();
});

const enc = (doc: object) => encodeURIComponent(JSON.stringify(doc));
const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const SCPS_ENABLED = { Roots: [{ Id: 'r-abcd', PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY' as const, Status: 'ENABLED' as const }] }] };

function account(id: string, users: string[]): Account {
  const key = (slot: 1 | 2) => ({ slot, active: false, lastRotated: null, lastUsed: null, lastUsedRegion: null, lastUsedService: null });
  const cert = (slot: 1 | 2) => ({ slot, active: false, lastRotated: null });
  const principal = (name: string): Principal => ({
    type: 'user' as const,
    name,
    arn: `arn:aws:iam::${id}:user/${name}`,
    createdAt: null,
    password: { enabled: true, lastUsed: null, lastUsedStatus: 'never' as const, lastChanged: null, nextRotation: null },
    mfaActive: true,
    accessKeys: [key(1), key(2)],
    certificates: [cert(1), cert(2)],
  });
  return { id, reportGeneratedTime: '2026-11-01T00:00:00Z', principals: users.map(principal) };
}

describe('readAuthorizationDetails', () => {
  it('reads every page and decodes URL-encoded documents, keeping default policy versions', async () => {
    iamMock
      .on(GetAccountAuthorizationDetailsCommand)
      .resolvesOnce({
        UserDetailList: [
          {
            UserName: 'alice',
            Arn: 'arn:aws:iam::111122223333:user/alice',
            UserId: 'AIDAALICE',
            Path: '/',
            GroupList: ['admins'],
            UserPolicyList: [{ PolicyName: 'inline', PolicyDocument: enc(ADMIN) }],
            Tags: [{ Key: 'team', Value: 'ops' }],
          },
        ],
        IsTruncated: true,
        Marker: 'page2',
      })
      .resolvesOnce({
        GroupDetailList: [
          {
            GroupName: 'admins',
            Arn: 'arn:aws:iam::111122223333:group/admins',
            AttachedManagedPolicies: [{ PolicyName: 'Admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
          },
        ],
        Policies: [
          {
            PolicyName: 'AdministratorAccess',
            Arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
            DefaultVersionId: 'v2',
            PolicyVersionList: [
              { VersionId: 'v1', IsDefaultVersion: false, Document: enc({ Statement: { Effect: 'Deny', Action: '*', Resource: '*' } }) },
              { VersionId: 'v2', IsDefaultVersion: true, Document: enc(ADMIN) },
            ],
          },
        ],
        IsTruncated: false,
      });
    const result = await readAuthorizationDetails(new IAMClient({}));
    expect(iamMock.commandCalls(GetAccountAuthorizationDetailsCommand).map((c) => c.args[0].input.Marker)).toEqual([undefined, 'page2']);
    expect(result).toEqual({
      ok: true,
      value: {
        users: [
          {
            name: 'alice',
            arn: 'arn:aws:iam::111122223333:user/alice',
            id: 'AIDAALICE',
            path: '/',
            groups: ['admins'],
            inlinePolicies: [{ name: 'inline', document: ADMIN }],
            attachedPolicies: [],
            tags: { team: 'ops' },
          },
        ],
        groups: [
          {
            name: 'admins',
            arn: 'arn:aws:iam::111122223333:group/admins',
            inlinePolicies: [],
            attachedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
          },
        ],
        roles: [],
        policies: [{ arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess', document: ADMIN }],
      },
    });
  });

  it('a denied call is unknown, with the reason', async () => {
    iamMock
      .on(GetAccountAuthorizationDetailsCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform iam:GetAccountAuthorizationDetails'));
    expect(await readAuthorizationDetails(new IAMClient({}))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^GetAccountAuthorizationDetails: AccessDenied/),
    });
  });
});

describe('readPasswordPolicy', () => {
  it('404 means no policy; other errors mean unknown', async () => {
    iamMock.on(GetAccountPasswordPolicyCommand).rejectsOnce(awsError('NoSuchEntity')).rejectsOnce(awsError('AccessDenied'));
    expect(await readPasswordPolicy(new IAMClient({}))).toBe('none');
    expect(await readPasswordPolicy(new IAMClient({}))).toBe('unknown');
  });
});

describe('ScpReader', () => {
  it('reads the chain root first, with every page, and caches targets and documents', async () => {
    orgMock.on(ListRootsCommand).resolves(SCPS_ENABLED);
    orgMock.on(ListParentsCommand, { ChildId: '222222222222' }).resolves({ Parents: [{ Id: 'ou-a-prod', Type: 'ORGANIZATIONAL_UNIT' }] });
    orgMock.on(ListParentsCommand, { ChildId: '333333333333' }).resolves({ Parents: [{ Id: 'ou-a-prod', Type: 'ORGANIZATIONAL_UNIT' }] });
    orgMock.on(ListParentsCommand, { ChildId: 'ou-a-prod' }).resolves({ Parents: [{ Id: 'r-abcd', Type: 'ROOT' }] });
    orgMock.on(ListPoliciesForTargetCommand).callsFake(async (input: { TargetId: string; NextToken?: string }) => {
      if (input.TargetId === 'ou-a-prod' && !input.NextToken)
        return { Policies: [{ Id: 'p-full', Name: 'FullAWSAccess' }], NextToken: 'more' };
      if (input.TargetId === 'ou-a-prod') return { Policies: [{ Id: 'p-deny', Name: 'DenyReset' }] };
      return { Policies: [{ Id: 'p-full', Name: 'FullAWSAccess' }] };
    });
    orgMock.on(DescribePolicyCommand).callsFake(async (input: { PolicyId: string }) => ({
      Policy: {
        Content:
          input.PolicyId === 'p-full'
            ? JSON.stringify(ADMIN)
            : '{"Statement":{"Effect":"Deny","Action":"iam:UpdateLoginProfile","Resource":"*"}}',
      },
    }));
    const reader = new ScpReader(new OrganizationsClient({}));
    const first = await reader.chain('222222222222');
    const second = await reader.chain('333333333333');
    expect(first.ok && first.value?.map((l) => [l.target, l.policies.map((p) => p.name)])).toEqual([
      ['r-abcd', ['FullAWSAccess']],
      ['ou-a-prod', ['FullAWSAccess', 'DenyReset']],
      ['222222222222', ['FullAWSAccess']],
    ]);
    expect(second.ok && second.value?.[2]?.target).toBe('333333333333');
    expect(orgMock.commandCalls(ListParentsCommand, { ChildId: 'ou-a-prod' })).toHaveLength(1);
    expect(orgMock.commandCalls(DescribePolicyCommand)).toHaveLength(2);
  });

  it('SCPs not enabled means none apply; a denied call means unknown', async () => {
    orgMock.on(ListRootsCommand).resolves(SCPS_ENABLED);
    orgMock.on(ListParentsCommand).resolves({ Parents: [{ Id: 'r-abcd', Type: 'ROOT' }] });
    orgMock
      .on(ListPoliciesForTargetCommand)
      .rejectsOnce(awsError('PolicyTypeNotEnabledException'))
      .rejects(awsError('AccessDeniedException'));
    expect(await new ScpReader(new OrganizationsClient({})).chain('222222222222')).toEqual({ ok: true, value: null });
    expect(await new ScpReader(new OrganizationsClient({})).chain('222222222222')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/AccessDeniedException/),
    });
  });

  it('the root without an ENABLED SCP policy type means no SCP applies, even with FullAWSAccess still listed (moto)', async () => {
    orgMock.on(ListRootsCommand).resolves({ Roots: [{ Id: 'r-abcd', PolicyTypes: [{ Type: 'TAG_POLICY', Status: 'ENABLED' }] }] });
    orgMock.on(ListParentsCommand).resolves({ Parents: [{ Id: 'r-abcd', Type: 'ROOT' }] });
    orgMock.on(ListPoliciesForTargetCommand).resolves({ Policies: [{ Id: 'p-FullAWSAccess', Name: 'FullAWSAccess' }] });
    const reader = new ScpReader(new OrganizationsClient({}));
    expect(await reader.chain('222222222222')).toEqual({ ok: true, value: null });
    expect(await reader.chain('333333333333')).toEqual({ ok: true, value: null });
    expect(orgMock.commandCalls(ListRootsCommand)).toHaveLength(1);
    expect(orgMock.commandCalls(ListPoliciesForTargetCommand)).toHaveLength(0);
  });

  it('a pending or unreadable policy type status is unknown, never "none apply"', async () => {
    orgMock
      .on(ListRootsCommand)
      .resolvesOnce({ Roots: [{ Id: 'r-abcd', PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'PENDING_DISABLE' }] }] })
      .rejects(awsError('AccessDeniedException'));
    expect(await new ScpReader(new OrganizationsClient({})).chain('222222222222')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/PENDING_DISABLE/),
    });
    expect(await new ScpReader(new OrganizationsClient({})).chain('222222222222')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/ListRoots: AccessDeniedException/),
    });
  });

  it('an empty attachment list while SCPs are enabled is unknown, not "deny everything"', async () => {
    orgMock.on(ListRootsCommand).resolves(SCPS_ENABLED);
    orgMock.on(ListParentsCommand).resolves({ Parents: [{ Id: 'r-abcd', Type: 'ROOT' }] });
    orgMock.on(ListPoliciesForTargetCommand, { TargetId: 'r-abcd' }).resolves({ Policies: [{ Id: 'p-full', Name: 'FullAWSAccess' }] });
    orgMock.on(ListPoliciesForTargetCommand, { TargetId: '222222222222' }).resolves({ Policies: [] });
    orgMock.on(DescribePolicyCommand).resolves({ Policy: { Content: JSON.stringify(ADMIN) } });
    expect(await new ScpReader(new OrganizationsClient({})).chain('222222222222')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/none attached to 222222222222/),
    });
  });
});

describe('collectRecovery', () => {
  it('attaches facts and never reads SCPs for the management account', async () => {
    iamMock.on(GetAccountAuthorizationDetailsCommand).resolves({
      UserDetailList: [
        {
          UserName: 'alice',
          Arn: 'arn:aws:iam::111111111111:user/alice',
          UserPolicyList: [{ PolicyName: 'admin', PolicyDocument: enc(ADMIN) }],
        },
        { UserName: 'bob', Arn: 'arn:aws:iam::111111111111:user/bob' },
      ],
    });
    iamMock.on(GetAccountPasswordPolicyCommand).resolves({ PasswordPolicy: { AllowUsersToChangePassword: true, HardExpiry: false } });
    const result = await collectRecovery(
      account('111111111111', ['alice', 'bob']),
      new IAMClient({}),
      new ScpReader(new OrganizationsClient({})),
      '111111111111',
    );
    expect(orgMock.calls()).toHaveLength(0);
    expect(result.facts?.recovery).toMatchObject({
      administratorCount: 1,
      singleAdministrator: true,
      soleAdministrator: 'arn:aws:iam::111111111111:user/alice',
    });
    expect(result.principals[1]?.facts?.recovery).toMatchObject({
      password: { administrators: ['arn:aws:iam::111111111111:user/alice'], hasPath: true },
    });
    expect(result.facts?.passwordPolicy).toEqual({ AllowUsersToChangePassword: true, HardExpiry: false });
  });

  it('outside an organisation no SCPs apply; with unreadable SCPs root is unknown', async () => {
    iamMock
      .on(GetAccountAuthorizationDetailsCommand)
      .resolves({ UserDetailList: [{ UserName: 'bob', Arn: 'arn:aws:iam::222222222222:user/bob' }] });
    iamMock.on(GetAccountPasswordPolicyCommand).rejects(awsError('NoSuchEntity'));
    orgMock.on(DescribeOrganizationCommand).rejectsOnce(awsError('AWSOrganizationsNotInUseException'));
    const alone = await collectRecovery(account('222222222222', ['bob']), new IAMClient({}), new ScpReader(new OrganizationsClient({})));
    expect(alone.principals[0]?.facts?.recovery).toMatchObject({ password: { rootOnly: true, rootFallback: 'available' } });

    orgMock.on(DescribeOrganizationCommand).resolves({ Organization: { MasterAccountId: '111111111111' } });
    orgMock.on(ListRootsCommand).resolves(SCPS_ENABLED);
    orgMock.on(ListParentsCommand).rejects(awsError('AccessDeniedException'));
    const member = await collectRecovery(account('222222222222', ['bob']), new IAMClient({}), new ScpReader(new OrganizationsClient({})));
    expect(member.principals[0]?.facts?.recovery).toMatchObject({ password: { hasPath: false, rootOnly: false, rootFallback: 'unknown' } });
  });
});
