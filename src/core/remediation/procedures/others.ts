import type { Procedure } from '../types.js';
import { LINKS } from './links.js';

export const enableUserMfa: Procedure = {
  id: 'enable-user-mfa',
  title: 'Enable MFA for an IAM user',
  actor: 'iam-user',
  appliesTo: ['user'],
  summary: 'A console password alone is one phishing email away from a takeover. The user registers an MFA device they hold; an administrator can assign one if the user may not.',
  prerequisites: ['{user} holds the device: a passkey or security key, an authenticator app, or a hardware TOTP token.'],
  steps: [
    {
      id: 'user-assign-mfa',
      actor: 'iam-user',
      when: 'self-service',
      text: '{user} signs in to the console, opens Security credentials, chooses Assign MFA device and registers a passkey or security key (preferred) or an authenticator app.',
    },
    {
      id: 'admin-assign-mfa',
      actor: 'administrator',
      when: 'administrator',
      text: '{admin} creates a virtual MFA device for {user} and enables it with two consecutive codes that {user} reads from the authenticator app. Hand the QR code over privately and delete the file afterwards.',
      commands: [
        'aws iam create-virtual-mfa-device --virtual-mfa-device-name {user} --outfile <QR_CODE_FILE>.png --bootstrap-method QRCodePNG',
        'aws iam enable-mfa-device --user-name {user} --serial-number arn:aws:iam::{account}:mfa/{user} --authentication-code1 <CODE_1> --authentication-code2 <CODE_2>',
      ],
    },
    {
      id: 'require-mfa',
      actor: 'administrator',
      text: 'Consider a policy that denies everything except MFA self-management unless aws:MultiFactorAuthPresent is true, so a password alone is never enough.',
    },
  ],
  verification: ['The next credential report shows mfa_active true for {user}.'],
  verifyCommands: ['aws iam list-mfa-devices --user-name {user}'],
  links: [LINKS.userMfa, LINKS.mfa, LINKS.selfManagePolicy],
};

export const rotateSigningCertificate: Procedure = {
  id: 'rotate-signing-certificate',
  title: 'Rotate or remove an old signing certificate',
  actor: 'administrator',
  appliesTo: ['user', 'root'],
  summary: 'X.509 signing certificates are a legacy credential that few services use. Remove an unneeded one; replace a needed one with a new certificate before the old one goes.',
  prerequisites: ['Permission to manage the signing certificates of {user} (for the root user: the root user itself or a privileged root task).'],
  steps: [
    {
      id: 'resolve-cert-id',
      for: 'user',
      text: 'List the signing certificates of {user} and note the CertificateId whose UploadDate matches certificate {certSlot} (uploaded {lastRotated}); it replaces <CERTIFICATE_ID_{certSlot}> below.',
      commands: ["aws iam list-signing-certificates --user-name {user} --query 'Certificates[].[CertificateId,Status,UploadDate]' --output table"],
    },
    {
      id: 'upload-new-cert',
      for: 'user',
      text: 'Only if something still needs a signing certificate: upload the new certificate and switch that consumer to it.',
      commands: ['aws iam upload-signing-certificate --user-name {user} --certificate-body file://<NEW_CERTIFICATE>.pem'],
    },
    {
      id: 'deactivate-cert',
      for: 'user',
      text: 'Deactivate certificate {certSlot} (reversible) and wait to see that nothing fails.',
      commands: ['aws iam update-signing-certificate --user-name {user} --certificate-id {certId} --status Inactive'],
    },
    {
      id: 'delete-cert',
      for: 'user',
      text: 'Delete certificate {certSlot}.',
      commands: ['aws iam delete-signing-certificate --user-name {user} --certificate-id {certId}'],
    },
    {
      id: 'root-remove-cert',
      actor: 'root',
      for: 'root',
      text: 'Sign in as the root user of account {account}, open Security credentials and deactivate, then delete, X.509 certificate {certSlot} (uploaded {lastRotated}), unless something still needs it.',
    },
  ],
  verification: ['The next credential report shows cert_{certSlot}_active false, or a recent cert_{certSlot}_last_rotated.'],
  links: [LINKS.signingCertificates, LINKS.credentialReport],
};

export const establishRecoveryPath: Procedure = {
  id: 'establish-recovery-path',
  title: 'Establish a recovery path for lost credentials',
  actor: 'administrator',
  appliesTo: ['user', 'root'],
  summary:
    'Nobody but the user can currently replace their password or access keys. Decide now who resets them when they are lost, so recovery does not need the root user in a hurry.',
  prerequisites: ['Permission to change IAM policies in account {account}.'],
  steps: [
    {
      id: 'name-recovery-admins',
      for: 'user',
      text: 'Choose at least two people or roles who may reset credentials of {user} (iam:UpdateLoginProfile, iam:CreateLoginProfile, iam:CreateAccessKey, iam:UpdateAccessKey, iam:DeleteAccessKey on {arn}) and grant it, ideally to a role used through IAM Identity Center.',
    },
    {
      id: 'check-recovery-permissions',
      for: 'user',
      text: 'Check that the chosen role really has the permissions on {user}.',
      commands: ['aws iam simulate-principal-policy --policy-source-arn <ADMIN_ROLE_ARN> --action-names iam:UpdateLoginProfile iam:CreateAccessKey --resource-arns {arn}'],
    },
    {
      id: 'document-recovery',
      for: 'user',
      text: "Write the recovery path into the team's runbook: who resets a lost password, who issues a new key, and how the person is verified.",
    },
    {
      id: 'root-recovery-contacts',
      actor: 'root',
      for: 'root',
      text: 'Make the account email address of {account} a monitored group mailbox that several people can read, keep the root MFA devices with two different people, and keep the alternate contacts current, so a password reset email always reaches someone.',
    },
    {
      id: 'root-central-access',
      actor: 'root',
      for: 'root',
      text: "For a member account of an AWS Organization, prefer centralized root access: the management account can then allow password recovery or remove the root credentials with a privileged root task.",
    },
  ],
  verification: ['simulate-principal-policy returns "allowed" for the recovery role; the next scan reports a recovery path.'],
  links: [LINKS.userPasswords, LINKS.accessKeys, LINKS.lostCredentials],
};

export const addSecondAdministrator: Procedure = {
  id: 'add-second-administrator',
  title: 'Add a second administrator who can reset credentials',
  actor: 'administrator',
  appliesTo: ['user', 'root'],
  summary:
    "Only one principal in the account can reset other users' passwords or issue their access keys. If its credentials are lost, every reset falls back to the root user; add a second one.",
  prerequisites: ['Permission to change IAM policies in account {account}.'],
  steps: [
    {
      id: 'grant-second-admin',
      for: 'user',
      text: "Only {soleAdmin} can reset other users' credentials in account {account}. Grant the same permissions (iam:UpdateLoginProfile, iam:CreateLoginProfile, iam:CreateAccessKey, iam:UpdateAccessKey, iam:DeleteAccessKey) to a second principal, preferably a role that several people can assume through IAM Identity Center.",
    },
    {
      id: 'root-grant-second-admin',
      actor: 'root',
      for: 'root',
      text: "Only {soleAdmin} can reset other users' credentials in account {account}, so losing it leaves only the root user. Using {soleAdmin} (or, if it is unusable, the root user), grant the same reset permissions to a second principal, preferably a role that several people can assume, and check them.",
      commands: ['aws iam simulate-principal-policy --policy-source-arn <SECOND_ADMIN_ARN> --action-names iam:UpdateLoginProfile iam:CreateLoginProfile iam:CreateAccessKey --resource-arns arn:aws:iam::{account}:user/<ANY_USER>'],
    },
    {
      id: 'check-second-admin',
      for: 'user',
      text: 'Check that the second principal really has the permissions.',
      commands: ['aws iam simulate-principal-policy --policy-source-arn <SECOND_ADMIN_ARN> --action-names iam:UpdateLoginProfile iam:CreateLoginProfile iam:CreateAccessKey --resource-arns arn:aws:iam::{account}:user/<ANY_USER>'],
    },
  ],
  verification: ["Two principals may reset other users' credentials; the next scan no longer reports a single administrator."],
  links: [LINKS.userPasswords, LINKS.accessKeys, LINKS.bestPractices],
};
