/**
 * AWS-managed policies as GetAccountAuthorizationDetails returns them: an attached AWS-managed
 * policy (`arn:PARTITION:iam::aws:policy/…`) comes back in `Policies` with its default version's
 * document, just as a customer-managed one does. The sandbox adds the ones a fixture attaches
 * (to users, groups, roles or as a permissions boundary) and does not list itself.
 *
 * Documents are AWS's default versions. AdministratorAccess, IAMFullAccess, PowerUserAccess and
 * IAMUserChangePassword are complete. ReadOnlyAccess and SecurityAudit list thousands of
 * actions: only their statements' IAM, Organizations and STS actions are kept here (plus the
 * everyday read actions the MFA analysis probes), which is what recovery analysis reads; the
 * subset is marked in each entry's `subset`.
 */
import type { AuthorizationDetails } from './fixture.js';

interface ManagedPolicy {
  name: string;
  /** Path below `policy/`, e.g. `/` or `/job-function/`. */
  path: string;
  id: string;
  versionId: string;
  createDate: string;
  updateDate: string;
  document: { Version: '2012-10-17'; Statement: Record<string, unknown>[] };
  /** Set when only part of AWS's document is reproduced (see the module comment). */
  subset?: string;
}

const CATALOGUE: readonly ManagedPolicy[] = [
  {
    name: 'AdministratorAccess',
    path: '/',
    id: 'ANPAIWMBCKSKIEE64ZLYK',
    versionId: 'v1',
    createDate: '2015-02-06T18:39:46Z',
    updateDate: '2015-02-06T18:39:46Z',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  },
  {
    name: 'IAMFullAccess',
    path: '/',
    id: 'ANPAI7XKCFMBPM3QQRRVQ',
    versionId: 'v2',
    createDate: '2015-02-06T18:40:38Z',
    updateDate: '2019-06-21T19:40:00Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'iam:*',
            'organizations:DescribeAccount',
            'organizations:DescribeOrganization',
            'organizations:DescribeOrganizationalUnit',
            'organizations:DescribePolicy',
            'organizations:ListChildren',
            'organizations:ListParents',
            'organizations:ListPoliciesForTarget',
            'organizations:ListRoots',
            'organizations:ListPolicies',
            'organizations:ListTargetsForPolicy',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'PowerUserAccess',
    path: '/',
    id: 'ANPAJYRXTHIB4FOVS3ZXS',
    versionId: 'v12',
    createDate: '2015-02-06T18:39:47Z',
    updateDate: '2026-02-12T17:59:14Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
        {
          Effect: 'Allow',
          Action: [
            'account:GetAccountInformation',
            'account:GetGovCloudAccountInformation',
            'account:GetPrimaryEmail',
            'account:ListRegions',
            'iam:CreateServiceLinkedRole',
            'iam:DeleteServiceLinkedRole',
            'iam:ListRoles',
            'organizations:DescribeEffectivePolicy',
            'organizations:DescribeOrganization',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'IAMUserChangePassword',
    path: '/',
    id: 'ANPAJ4L4MM2A7QIEB56MS',
    versionId: 'v2',
    createDate: '2016-11-15T00:25:16Z',
    updateDate: '2016-11-15T23:18:55Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['iam:ChangePassword'], Resource: ['arn:aws:iam::*:user/${aws:username}'] },
        { Effect: 'Allow', Action: ['iam:GetAccountPasswordPolicy'], Resource: '*' },
      ],
    },
  },
  {
    name: 'SecurityAudit',
    path: '/',
    id: 'ANPAIX2T3QCXHR2OGGCTO',
    versionId: 'v45',
    createDate: '2015-02-06T18:41:01Z',
    updateDate: '2024-10-30T18:36:49Z',
    subset: 'IAM, Organizations and everyday read actions of the first statement; the other services are omitted',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ec2:Describe*',
            'iam:GenerateCredentialReport',
            'iam:GenerateServiceLastAccessedDetails',
            'iam:Get*',
            'iam:List*',
            'iam:SimulateCustomPolicy',
            'iam:SimulatePrincipalPolicy',
            'organizations:Describe*',
            'organizations:List*',
            's3:ListAllMyBuckets',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'ReadOnlyAccess',
    path: '/',
    id: 'ANPAILL3HVNFSB6DCOWYQ',
    versionId: 'v120',
    createDate: '2015-02-06T18:39:48Z',
    updateDate: '2025-01-01T00:00:00Z',
    subset: 'IAM, Organizations, STS and everyday read actions; the other services are omitted',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ec2:Describe*',
            'iam:Generate*',
            'iam:Get*',
            'iam:List*',
            'iam:Simulate*',
            'organizations:Describe*',
            'organizations:List*',
            's3:ListAllMyBuckets',
            'sts:GetAccessKeyInfo',
            'sts:GetCallerIdentity',
            'sts:GetSessionToken',
          ],
          Resource: '*',
        },
      ],
    },
  },
];

/** The AWS-managed policies the sandbox knows, by name. */
export const AWS_MANAGED_POLICY_NAMES: readonly string[] = CATALOGUE.map((p) => p.name);

function arnOf(policy: ManagedPolicy, partition: string): string {
  return `arn:${partition}:iam::aws:policy${policy.path}${policy.name}`;
}

function attachedArns(details: AuthorizationDetails): Map<string, { attachments: number; boundaries: number }> {
  const counts = new Map<string, { attachments: number; boundaries: number }>();
  const entry = (arn: string) => {
    let c = counts.get(arn);
    if (!c) counts.set(arn, (c = { attachments: 0, boundaries: 0 }));
    return c;
  };
  for (const list of [details.UserDetailList, details.GroupDetailList, details.RoleDetailList]) {
    for (const item of list ?? []) {
      for (const a of (item['AttachedManagedPolicies'] as { PolicyArn?: unknown }[] | undefined) ?? [])
        if (typeof a.PolicyArn === 'string') entry(a.PolicyArn).attachments++;
      const boundary = (item['PermissionsBoundary'] as { PermissionsBoundaryArn?: unknown } | undefined)?.PermissionsBoundaryArn;
      if (typeof boundary === 'string') entry(boundary).boundaries++;
    }
  }
  return counts;
}

/**
 * Adds the `Policies` entries IAM returns for the AWS-managed policies that the details attach
 * and do not list themselves (a fixture's own entry wins). Policies the sandbox does not know
 * stay absent: the analysis then reports them as missing, never as allowing nothing.
 */
export function withAwsManagedPolicies(details: AuthorizationDetails, partition: string): AuthorizationDetails {
  const listed = new Set((details.Policies ?? []).map((p) => p['Arn']));
  const added: Record<string, unknown>[] = [];
  for (const [arn, usage] of attachedArns(details)) {
    if (listed.has(arn)) continue;
    const policy = CATALOGUE.find((p) => arnOf(p, partition) === arn);
    if (!policy) continue;
    added.push({
      PolicyName: policy.name,
      PolicyId: policy.id,
      Arn: arn,
      Path: policy.path,
      DefaultVersionId: policy.versionId,
      AttachmentCount: usage.attachments,
      PermissionsBoundaryUsageCount: usage.boundaries,
      IsAttachable: true,
      CreateDate: policy.createDate,
      UpdateDate: policy.updateDate,
      PolicyVersionList: [
        { Document: policy.document, VersionId: policy.versionId, IsDefaultVersion: true, CreateDate: policy.updateDate },
      ],
    });
  }
  return added.length === 0 ? details : { ...details, Policies: [...(details.Policies ?? []), ...added] };
}
