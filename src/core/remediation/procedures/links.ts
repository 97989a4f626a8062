import type { ProcedureLink } from '../types.js';

const IAM = 'https://docs.aws.amazon.com/IAM/latest/UserGuide';

function link(title: string, url: string): ProcedureLink {
  return { title, url };
}

/** The AWS documentation pages the catalogue follows, by topic. */
export const LINKS = {
  lostCredentials: link('Resetting lost or forgotten passwords or access keys', `${IAM}/id_credentials_access-keys_retrieve.html`),
  rootPasswordReset: link('Reset a lost or forgotten root user password', `${IAM}/reset-root-password.html`),
  lostRootAccess: link('I need to access an old account (troubleshooting)', `${IAM}/troubleshoot_general.html#troubleshoot_general_lost-root-creds`),
  rootAccessKeys: link('Access keys for the root user', `${IAM}/id_root-user_manage_add-key.html`),
  rootDeleteKeys: link('Delete access keys for the root user', `${IAM}/id_root-user_manage_delete-key.html`),
  rootTasks: link('Tasks that require root user credentials', `${IAM}/root-user-tasks.html`),
  rootBestPractices: link('Root user best practices', `${IAM}/root-user-best-practices.html`),
  centralRootAccess: link('Centralize root access for member accounts', `${IAM}/id_root-enable-root-access.html`),
  privilegedTask: link('Perform a privileged task on a member account', `${IAM}/id_root-user-privileged-task.html`),
  assumeRoot: link('AssumeRoot (AWS STS API reference)', 'https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html'),
  rootMfa: link('Multi-factor authentication for the root user', `${IAM}/enable-mfa-for-root.html`),
  rootHardwareMfa: link('Enable a hardware TOTP token for the root user', `${IAM}/enable-hw-mfa-for-root.html`),
  rootFidoMfa: link('Enable a passkey or security key for the root user', `${IAM}/enable-fido-mfa-for-root.html`),
  userPasswords: link('Manage passwords for IAM users', `${IAM}/id_credentials_passwords_admin-change-user.html`),
  passwordPolicy: link('Set an account password policy for IAM users', `${IAM}/id_credentials_passwords_account-policy.html`),
  accessKeys: link('Manage access keys for IAM users', `${IAM}/id_credentials_access-keys.html`),
  rotateKeys: link('Update (rotate) access keys', `${IAM}/id-credentials-access-keys-update.html`),
  selfManagePolicy: link('Example policy: let IAM users manage their own credentials', `${IAM}/reference_policies_examples_aws_my-sec-creds-self-manage.html`),
  userMfa: link('Assign a virtual MFA device to an IAM user', `${IAM}/id_credentials_mfa_enable_virtual.html`),
  mfa: link('AWS multi-factor authentication in IAM', `${IAM}/id_credentials_mfa.html`),
  unusedCredentials: link('Find unused AWS credentials', `${IAM}/id_credentials_finding-unused.html`),
  signingCertificates: link('UploadSigningCertificate (IAM API reference)', 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_UploadSigningCertificate.html'),
  credentialReport: link('Generate credential reports', `${IAM}/id_credentials_getting-report.html`),
  bestPractices: link('Security best practices in IAM', `${IAM}/best-practices.html`),
} as const;
