/**
 * sts:AssumeRoot task policies, with AWS's documents (arn:aws:iam::aws:policy/root-task/…). A
 * privileged root session can do only what its task policy leaves: every one denies all other
 * actions, and none of them manages IAM users (only the root user's own credentials, or an S3
 * bucket or SQS queue policy).
 */
import { evaluate, makeContext, parsePolicyDocument, type NamedPolicy } from '../core/policy/index.js';

const deny = (sid: string, notAction: string[]) => ({ Sid: sid, Effect: 'Deny', NotAction: notAction, Resource: '*' });
const rootOnly = (sid: string, action: string[]) => ({ Sid: sid, Effect: 'Deny', Action: action, NotResource: 'arn:aws:iam::*:root' });
const rootCaller = (sid: string, action: string[]) => ({
  Sid: sid,
  Effect: 'Deny',
  Action: action,
  Resource: '*',
  Condition: { StringNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } },
});

const AUDIT = [
  'iam:ListAccessKeys',
  'iam:ListSigningCertificates',
  'iam:GetLoginProfile',
  'iam:ListMFADevices',
  'iam:GetUser',
  'iam:GetAccessKeyLastUsed',
];
const DELETE = [
  'iam:DeleteAccessKey',
  'iam:DeleteSigningCertificate',
  'iam:DeleteLoginProfile',
  'iam:DeactivateMFADevice',
  'iam:DeleteVirtualMFADevice',
  ...AUDIT.filter((a) => a !== 'iam:GetUser' && a !== 'iam:GetAccessKeyLastUsed'),
  'iam:GetUser',
  'iam:GetAccessKeyLastUsed',
];
const S3 = ['s3:DeleteBucketPolicy', 's3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:ListAllMyBuckets'];
const SQS = ['sqs:SetQueueAttributes', 'sqs:GetQueueAttributes', 'sqs:ListQueues', 'sqs:GetQueueUrl'];

/** The five task policies by name. */
export const ROOT_TASK_POLICIES: Readonly<Record<string, { Version: string; Statement: object[] }>> = {
  IAMAuditRootUserCredentials: {
    Version: '2012-10-17',
    Statement: [
      deny('DenyAllOtherActionsOnAnyResource', [...AUDIT.slice(0, 4), 'iam:GetAccountSummary', ...AUDIT.slice(4)]),
      rootOnly('DenyAuditingCredentialsOnNonRootUserResource', AUDIT),
    ],
  },
  IAMCreateRootUserPassword: {
    Version: '2012-10-17',
    Statement: [
      deny('DenyAllOtherActionsOnAnyResource', ['iam:CreateLoginProfile', 'iam:GetLoginProfile']),
      rootOnly('DenyCreatingPasswordOnNonRootUserResource', ['iam:CreateLoginProfile', 'iam:GetLoginProfile']),
    ],
  },
  IAMDeleteRootUserCredentials: {
    Version: '2012-10-17',
    Statement: [deny('DenyAllOtherActionsOnAnyResource', DELETE), rootOnly('DenyDeletingRootUserCredentialsOnNonRootUserResource', DELETE)],
  },
  S3UnlockBucketPolicy: {
    Version: '2012-10-17',
    Statement: [deny('DenyAllOtherActionsOnAnyResource', S3), rootCaller('DenyManagingBucketPolicyForNonRootCallers', S3)],
  },
  SQSUnlockQueuePolicy: {
    Version: '2012-10-17',
    Statement: [
      deny('DenyAllOtherActionsOnAnyResource', SQS),
      {
        Sid: 'DenyGettingQueueAttributesOnNonOwnQueue',
        Effect: 'Deny',
        Action: ['sqs:GetQueueAttributes'],
        Resource: 'arn:aws:sqs:*:*:*',
        Condition: { StringNotEqualsIfExists: { 'aws:ResourceAccount': ['${aws:PrincipalAccount}'] } },
      },
      rootCaller('DenyActionsForNonRootUser', SQS),
    ],
  },
};

/** The task policy name of `arn:PARTITION:iam::aws:policy/root-task/NAME`, or undefined. */
export function taskPolicyName(arn: string): string | undefined {
  const name = /^arn:aws(?:-cn|-us-gov)?:iam::aws:policy\/root-task\/([\w+=,.@-]+)$/.exec(arn)?.[1];
  return name !== undefined && name in ROOT_TASK_POLICIES ? name : undefined;
}

const ALL: NamedPolicy = { name: '(root user)', document: { statements: [{ index: 0, effect: 'Allow', action: ['*'], resource: ['*'] }] } };

/**
 * Whether a root session scoped to `task` may call `action` on `resource`: root may do anything,
 * the task policy takes away everything else. Undefined means allowed; otherwise the reason.
 */
export function taskPolicyDenies(task: string, action: string, resource: string, accountId: string, partition: string): string | undefined {
  const document = parsePolicyDocument(JSON.stringify(ROOT_TASK_POLICIES[task]));
  const context = makeContext({
    'aws:PrincipalArn': `arn:${partition}:iam::${accountId}:root`,
    'aws:PrincipalAccount': accountId,
    'aws:ResourceAccount': accountId,
    'aws:PrincipalType': 'Account',
  });
  const result = evaluate({ action, resource, context }, { identity: [ALL, { name: task, document }] });
  return result.decision === 'allow' ? undefined : `an explicit deny in the ${task} task policy of this AssumeRoot session`;
}
