import type { Procedure } from '../types.js';
import { LINKS } from './links.js';
import {
  CHECK_KEY_LAST_USED,
  CONFIRM_KEY_IDLE,
  CREATE_REPLACEMENT_KEY,
  DEACTIVATE_KEY,
  DELETE_KEY,
  FIND_KEY_CONSUMERS,
  MOVE_CONSUMERS_TO_OTHER_KEY,
  OBSERVE_KEY,
  RESOLVE_KEY_IDS,
  RETIRE_KEY_STEPS,
  UPDATE_CONSUMERS,
  ROOT_DELETE_KEY,
  ROOT_FIND_KEY,
  ROOT_SIGN_IN,
} from './steps.js';

const KEY_VERIFY = "The next credential report shows access_key_{slot}_active false and access_key_{slot}_last_rotated N/A for {user}, or list-access-keys no longer shows the key.";

export const removeUnusedAccessKey: Procedure = {
  id: 'remove-unused-access-key',
  title: 'Remove an access key that was never used',
  actor: 'administrator',
  appliesTo: ['user'],
  summary: 'A key handed out at user setup "just in case" and never used only widens the attack surface; create keys when they are needed, not before.',
  prerequisites: ['Permission to manage the access keys of {user} (iam:ListAccessKeys, iam:UpdateAccessKey, iam:DeleteAccessKey).'],
  steps: [...RETIRE_KEY_STEPS],
  verification: [KEY_VERIFY],
  verifyCommands: ['aws iam list-access-keys --user-name {user}'],
  links: [LINKS.accessKeys, LINKS.unusedCredentials],
};

export const disableUnusedCredential: Procedure = {
  id: 'disable-unused-credential',
  title: 'Disable a credential that is no longer used',
  actor: 'administrator',
  appliesTo: ['user'],
  summary:
    'A credential nobody uses can only help an attacker. Remove an unused console password; deactivate an unused access key (reversible) before deleting it.',
  prerequisites: ['Permission to manage the credentials of {user}.'],
  steps: [
    {
      id: 'check-password-last-used',
      only: ['password'],
      text: "Confirm that {user}'s console password is really unused (last used: {lastUsed}) and that the owner does not need console access.",
      commands: ["aws iam get-user --user-name {user} --query 'User.PasswordLastUsed'"],
    },
    {
      id: 'delete-login-profile',
      only: ['password'],
      text: "Remove {user}'s console password. This does not touch the user's access keys. If the user needs the console again later, an administrator creates a new password (create-login-profile).",
      commands: ['aws iam delete-login-profile --user-name {user}'],
    },
    ...RETIRE_KEY_STEPS,
  ],
  verification: ['The next credential report shows password_enabled false (password) or the key inactive or gone (access key) for {user}.'],
  verifyCommands: ['aws iam get-login-profile --user-name {user}', 'aws iam list-access-keys --user-name {user}'],
  links: [LINKS.unusedCredentials, LINKS.userPasswords, LINKS.accessKeys],
};

export const deleteInactiveAccessKey: Procedure = {
  id: 'delete-inactive-access-key',
  title: 'Delete an inactive access key',
  actor: 'administrator',
  appliesTo: ['user', 'root'],
  summary: 'An inactive key left in place can be switched back on by anyone allowed to; once it is known to be unneeded, delete it.',
  prerequisites: ['Permission to delete the access keys of {user} (for the root user: the root user itself).'],
  steps: [RESOLVE_KEY_IDS, CHECK_KEY_LAST_USED, DELETE_KEY, ROOT_SIGN_IN, ROOT_FIND_KEY, ROOT_DELETE_KEY],
  verification: [KEY_VERIFY],
  verifyCommands: ['aws iam list-access-keys --user-name {user}'],
  links: [LINKS.accessKeys, LINKS.rootAccessKeys],
};

export const rotateAccessKey: Procedure = {
  id: 'rotate-access-key',
  title: 'Rotate an access key',
  actor: 'administrator',
  appliesTo: ['user'],
  summary:
    'Replace a long-lived key without downtime: IAM allows two keys per user precisely so a new key can take over before the old one goes. If the key is not needed any more, retire it instead of replacing it.',
  prerequisites: ['A free access key slot (a user can hold at most two keys).', 'Permission to create and manage the access keys of {user}, and access to every place the key is configured.'],
  steps: [RESOLVE_KEY_IDS, CHECK_KEY_LAST_USED, FIND_KEY_CONSUMERS, CREATE_REPLACEMENT_KEY, UPDATE_CONSUMERS, CONFIRM_KEY_IDLE, DEACTIVATE_KEY, OBSERVE_KEY, DELETE_KEY],
  verification: ['The next credential report shows a recent access key last-rotated date for {user} and the old key gone.'],
  verifyCommands: ["aws iam list-access-keys --user-name {user} --query 'AccessKeyMetadata[].[AccessKeyId,Status,CreateDate]' --output table"],
  links: [LINKS.rotateKeys, LINKS.accessKeys, LINKS.selfManagePolicy],
};

export const finishAccessKeyRotation: Procedure = {
  id: 'finish-access-key-rotation',
  title: 'Finish an access key rotation',
  actor: 'administrator',
  appliesTo: ['user'],
  summary:
    'Two active keys are meant to overlap only while a rotation is under way. Pick the key to retire (the unused one, else the older one), move its consumers to the other key, then deactivate and delete it.',
  prerequisites: ['Permission to manage the access keys of {user}, and access to every place the keys are configured.'],
  steps: [RESOLVE_KEY_IDS, CHECK_KEY_LAST_USED, FIND_KEY_CONSUMERS, MOVE_CONSUMERS_TO_OTHER_KEY, CONFIRM_KEY_IDLE, DEACTIVATE_KEY, OBSERVE_KEY, DELETE_KEY],
  verification: ['The next credential report shows only one active access key for {user}.'],
  verifyCommands: ['aws iam list-access-keys --user-name {user}'],
  links: [LINKS.rotateKeys, LINKS.accessKeys],
};

export const replaceLostUserAccessKey: Procedure = {
  id: 'replace-lost-user-access-key',
  title: "Replace an IAM user's lost access key",
  actor: 'iam-user',
  appliesTo: ['user'],
  summary:
    'A secret access key cannot be retrieved, only replaced. A user allowed to manage their own keys creates the new one; otherwise an administrator does. The old key is not deleted while anything still uses it.',
  prerequisites: ['A free access key slot.', 'Self-service: a policy that lets {user} manage their own keys; otherwise an administrator.'],
  steps: [
    {
      id: 'self-create-key',
      actor: 'iam-user',
      when: 'self-service',
      text: '{user} signs in to the console, opens Security credentials and creates a new access key, storing the secret straight into the secret store (it is shown only once).',
    },
    {
      id: 'admin-create-key',
      actor: 'administrator',
      when: 'administrator',
      text: '{admin} creates the key and hands the secret over through a secret store, never in chat or email.',
      commands: ['aws iam create-access-key --user-name {user}'],
    },
    UPDATE_CONSUMERS,
    {
      id: 'keep-old-key-while-used',
      text: 'Do not delete the old key while anything still uses it. Once its last-used date stops moving, deactivate it, wait, then delete it.',
      commands: ['aws iam get-access-key-last-used --access-key-id {keyId}'],
    },
  ],
  verification: ['The new key works for every consumer and the lost key is inactive, then deleted.'],
  links: [LINKS.lostCredentials, LINKS.accessKeys, LINKS.selfManagePolicy],
};
