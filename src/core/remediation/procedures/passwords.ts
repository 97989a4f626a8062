import type { Procedure } from '../types.js';
import { LINKS } from './links.js';

export const resetUserPassword: Procedure = {
  id: 'reset-user-password',
  title: "Reset an IAM user's lost password",
  actor: 'administrator',
  appliesTo: ['user'],
  summary:
    'An IAM user cannot recover a lost password: there is no "Forgot your password?" flow for IAM users (that flow is for the root user only). An administrator sets a temporary password that the user must change at the next sign-in.',
  prerequisites: ['An administrator with iam:UpdateLoginProfile (or iam:CreateLoginProfile) on {user}.'],
  steps: [
    {
      id: 'admin-reset-password',
      actor: 'administrator',
      text: "{admin} sets a temporary password for {user} and requires a change at the next sign-in. If {user} has no console password yet, create one instead of updating it.",
      commands: [
        'aws iam update-login-profile --user-name {user} --password <TEMPORARY_PASSWORD> --password-reset-required',
        'aws iam create-login-profile --user-name {user} --password <TEMPORARY_PASSWORD> --password-reset-required',
      ],
    },
    {
      id: 'deliver-temporary-password',
      actor: 'administrator',
      text: 'Give {user} the temporary password over a different channel from the sign-in URL (https://{account}.signin.aws.amazon.com/console), and confirm the person is who they claim to be.',
    },
    {
      id: 'user-sets-password',
      actor: 'iam-user',
      text: '{user} signs in with the temporary password and sets a new one that meets the account password policy.',
    },
  ],
  verification: ['{user} can sign in; the next credential report shows a recent password_last_changed.'],
  verifyCommands: ['aws iam get-login-profile --user-name {user}'],
  links: [LINKS.userPasswords, LINKS.lostCredentials, LINKS.passwordPolicy],
};

export const fixPasswordExpiryLockout: Procedure = {
  id: 'fix-password-expiry-lockout',
  title: 'Avoid lock-out by password hard expiry',
  actor: 'administrator',
  appliesTo: ['user'],
  summary:
    'With hard expiry in the account password policy, a user whose password expires cannot set a new one: only an administrator can reset it. Make sure that reset is possible, or turn hard expiry off.',
  prerequisites: ['Permission to read and update the account password policy (iam:GetAccountPasswordPolicy, iam:UpdateAccountPasswordPolicy).'],
  steps: [
    {
      id: 'read-password-policy',
      actor: 'administrator',
      text: 'Read the current account password policy and note every setting.',
      commands: ['aws iam get-account-password-policy'],
    },
    {
      id: 'plan-reset-before-expiry',
      actor: 'administrator',
      text: "{user}'s password expires {nextRotation}. Until the policy changes, {admin} must be ready to reset it (update-login-profile --password-reset-required) when it does.",
    },
    {
      id: 'disable-hard-expiry',
      actor: 'administrator',
      text: 'Turn hard expiry off so users can change an expired password themselves. The update replaces the whole policy: repeat every current setting in the same call, or the omitted ones fall back to their defaults.',
      commands: ['aws iam update-account-password-policy --no-hard-expiry <REPEAT_EVERY_CURRENT_SETTING>'],
    },
  ],
  verification: ['get-account-password-policy shows HardExpiry false, or an administrator is named in the runbook for expired-password resets.'],
  verifyCommands: ["aws iam get-account-password-policy --query 'PasswordPolicy.HardExpiry'"],
  links: [LINKS.passwordPolicy, LINKS.userPasswords],
};
