import type { Procedure, ProcedureStep } from '../types.js';
import { LINKS } from './links.js';
import { ROOT_DEACTIVATE_KEY, ROOT_DELETE_KEY, ROOT_FIND_KEY, ROOT_MOVE_CONSUMERS, ROOT_SIGN_IN } from './steps.js';

const CENTRAL_WHEN =
  'Member accounts of an AWS Organization with centralized root access enabled (the root user may have no password at all)';

/** A privileged root session on a member account, scoped to one AWS-managed task policy. */
function assumeRootStep(taskPolicy: string): ProcedureStep {
  return {
    id: `assume-root-${taskPolicy}`,
    actor: 'management-account',
    text: `From the management account (or the delegated administrator account for IAM), as an IAM principal allowed sts:AssumeRoot, start a privileged root session on account {account} scoped to the ${taskPolicy} task policy. Send it to a Regional STS endpoint; the session lasts at most 15 minutes. Use the returned temporary credentials for the next commands.`,
    commands: [`aws sts assume-root --region <REGION> --target-principal {account} --task-policy-arn arn=arn:aws:iam::aws:policy/root-task/${taskPolicy} --duration-seconds 900`],
  };
}

export const deleteRootAccessKey: Procedure = {
  id: 'delete-root-access-key',
  title: 'Delete the root user access key',
  actor: 'root',
  appliesTo: ['root'],
  summary:
    'Only the root user can create or delete its own access keys. CIS and AWS say the root user should have none, so the plan is deletion; a replacement key is only a stop-gap for something that truly cannot move yet.',
  prerequisites: ['Access to the account email address, the root password and the root MFA device.'],
  steps: [ROOT_SIGN_IN, ROOT_FIND_KEY, ROOT_MOVE_CONSUMERS, ROOT_DEACTIVATE_KEY, ROOT_DELETE_KEY],
  alternatives: [
    {
      title: 'Privileged root task from the management account',
      when: CENTRAL_WHEN,
      actor: 'management-account',
      steps: [
        assumeRootStep('IAMDeleteRootUserCredentials'),
        {
          id: 'central-delete-root-key',
          actor: 'management-account',
          text: 'With the session credentials, find the id of access key {slot} and delete it; no user name is given in a root session. If this task policy does not allow listing the keys, list them first in a session scoped to IAMAuditRootUserCredentials.',
          commands: ['aws iam list-access-keys', 'aws iam delete-access-key --access-key-id {keyId}'],
        },
      ],
    },
  ],
  verification: ['The next credential report shows access_key_{slot}_active false for <root_account>, and AccountAccessKeysPresent is 0.'],
  verifyCommands: ["aws iam get-account-summary --query 'SummaryMap.AccountAccessKeysPresent'"],
  links: [LINKS.rootDeleteKeys, LINKS.rootAccessKeys, LINKS.lostCredentials, LINKS.privilegedTask, LINKS.assumeRoot],
};

const rootMfaSteps = (device: string): ProcedureStep[] => [
  ROOT_SIGN_IN,
  {
    id: 'root-assign-mfa',
    actor: 'root',
    for: 'root',
    text: `Under Multi-factor authentication (MFA), choose Assign MFA device and register ${device}. Follow the prompts to confirm the device.`,
  },
  {
    id: 'root-second-mfa',
    actor: 'root',
    for: 'root',
    text: 'Register a second MFA device as a backup (the root user can have several) and keep it somewhere safe and separate, so a lost device does not lock the account.',
  },
];

export const enableRootMfa: Procedure = {
  id: 'enable-root-mfa',
  title: 'Enable MFA for the root user',
  actor: 'root',
  appliesTo: ['root'],
  summary: 'Without MFA, anyone who learns or resets the root password controls the whole account. Only the root user can add its own MFA device.',
  prerequisites: ['Access to the account email address and the root password.', 'An MFA device: a passkey or security key, an authenticator app, or a hardware TOTP token.'],
  steps: rootMfaSteps('a passkey or security key (preferred), an authenticator app or a hardware TOTP token'),
  alternatives: [
    {
      title: 'Remove the root credentials of a member account instead',
      when: `${CENTRAL_WHEN}: a root user without a password or keys has nothing to protect with MFA`,
      actor: 'management-account',
      steps: [
        assumeRootStep('IAMDeleteRootUserCredentials'),
        {
          id: 'central-delete-root-password',
          actor: 'management-account',
          text: "With the session credentials, delete the root user's password of account {account} (no user name in a root session). Delete any root access keys and signing certificates the same way; when root is needed later, a privileged task can allow password recovery again.",
          commands: ['aws iam delete-login-profile'],
        },
      ],
    },
  ],
  verification: ['The next credential report shows mfa_active true for <root_account>; AccountMFAEnabled is 1.'],
  verifyCommands: ["aws iam get-account-summary --query 'SummaryMap.AccountMFAEnabled'"],
  links: [LINKS.rootMfa, LINKS.rootFidoMfa, LINKS.rootHardwareMfa, LINKS.rootBestPractices, LINKS.centralRootAccess],
};

export const enableRootHardwareMfa: Procedure = {
  id: 'enable-root-hardware-mfa',
  title: 'Use a hardware MFA device for the root user',
  actor: 'root',
  appliesTo: ['root'],
  summary: 'CIS asks for a hardware MFA device on the root user, so the second factor cannot be copied along with a phone or laptop.',
  prerequisites: ['Access to the account email address, the root password and the current MFA device.', 'A FIDO security key or a hardware TOTP token.'],
  steps: [
    ...rootMfaSteps('a FIDO security key or a hardware TOTP token'),
    {
      id: 'root-remove-virtual-mfa',
      actor: 'root',
      for: 'root',
      text: 'Once the hardware device works, remove the virtual (authenticator app) MFA device from the root user.',
    },
  ],
  verification: ['The root user lists only hardware MFA devices under Security credentials.'],
  verifyCommands: ['aws iam list-virtual-mfa-devices --assignment-status Assigned'],
  links: [LINKS.rootHardwareMfa, LINKS.rootFidoMfa, LINKS.rootMfa],
};

export const stopUsingRoot: Procedure = {
  id: 'stop-using-root',
  title: 'Stop using the root user for everyday work',
  actor: 'root',
  appliesTo: ['root'],
  summary: 'Keep the root user for the few tasks only it can do; everyday and administrative work belongs to IAM roles (ideally through IAM Identity Center).',
  prerequisites: ['Someone who knows why the root user was used.'],
  steps: [
    {
      id: 'review-root-activity',
      actor: 'root',
      text: "Review what the root user did around {lastUsed} in CloudTrail (userIdentity type Root) and decide, for each action, whether it is one of the tasks that require root.",
      commands: ['aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=root --max-results 50'],
    },
    {
      id: 'move-root-work',
      actor: 'root',
      text: 'Give every task that does not need root to an IAM role or an IAM Identity Center permission set, and make sure at least two people can use it.',
    },
    {
      id: 'secure-root',
      actor: 'root',
      text: 'Lock the root credentials away: MFA on, no access keys, password in a vault, and an alert on every root sign-in.',
    },
  ],
  verification: ['The next credential report shows no root use within the window (password_last_used and access keys).'],
  links: [LINKS.rootTasks, LINKS.rootBestPractices, LINKS.centralRootAccess],
};

export const resetRootPassword: Procedure = {
  id: 'reset-root-password',
  title: 'Reset a lost or forgotten root user password',
  actor: 'root',
  appliesTo: ['root'],
  summary:
    'The root password cannot be retrieved, only reset through the "Forgot your password?" flow of the root sign-in page, which sends a link to the account email address. This flow exists only for the root user.',
  prerequisites: ['Access to the mailbox of the account email address.'],
  steps: [
    {
      id: 'root-sign-out-iam',
      actor: 'root',
      text: 'Sign out of any console session that uses IAM user or role credentials. On an account-specific IAM sign-in page, choose to sign in with root user credentials instead.',
    },
    {
      id: 'root-forgot-password',
      actor: 'root',
      text: 'On the root user sign-in page for account {account}, enter the account email address, choose "Forgot your password?", then complete the CAPTCHA and continue.',
    },
    {
      id: 'root-reset-email',
      actor: 'root',
      text: 'Open the reset message in the account mailbox. It comes from an address ending in @amazon.com or @aws.amazon.com; look in the spam folder if it does not arrive. Follow its link and set a new, strong password.',
    },
    {
      id: 'root-no-email',
      actor: 'root',
      text: 'If the account email address can no longer be reached, follow the AWS account-recovery path for an old account (linked below) with AWS Support.',
    },
  ],
  alternatives: [
    {
      title: 'Allow password recovery through a privileged root task',
      when: `${CENTRAL_WHEN}; afterwards the holder of the account email completes the reset above`,
      actor: 'management-account',
      steps: [
        assumeRootStep('IAMCreateRootUserPassword'),
        {
          id: 'central-create-root-password',
          actor: 'management-account',
          text: 'With the session credentials, allow root password recovery for account {account}; give no user name and no password in a root session. When the task is done, remove the root credentials again with the IAMDeleteRootUserCredentials task policy.',
          commands: ['aws iam create-login-profile'],
        },
      ],
    },
  ],
  verification: ['The root user can sign in with the new password and its MFA device.'],
  links: [LINKS.rootPasswordReset, LINKS.lostCredentials, LINKS.lostRootAccess, LINKS.privilegedTask, LINKS.centralRootAccess],
};
