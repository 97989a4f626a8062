import type { ProcedureStep } from '../types.js';

/*
 * Step fragments shared by several procedures. Sharing the step ids is what lets
 * the planner merge, say, "unused key 1" and "key 1 not rotated" into a single
 * retirement of key 1 instead of two overlapping lists.
 */

/** The credential report names keys by slot only; every command needs the id. */
export const RESOLVE_KEY_IDS: ProcedureStep = {
  id: 'resolve-key-ids',
  for: 'user',
  only: ['access_key'],
  text:
    "Look up the access key ids of {user}. The credential report lists keys by slot, not by id: match each key's CreateDate to the slot's last-rotated time ({keyDates}) and use that AccessKeyId wherever a command below says {keyIdPlaceholders}.",
  commands: ["aws iam list-access-keys --user-name {user} --query 'AccessKeyMetadata[].[AccessKeyId,Status,CreateDate]' --output table"],
};

/** Last-used data straight from IAM, fresher than the report. */
export const CHECK_KEY_LAST_USED: ProcedureStep = {
  id: 'check-key-last-used',
  for: 'user',
  only: ['access_key'],
  text: 'Check when access key {slot} was last used, and from which service and region (the report may be up to hours old).',
  commands: ['aws iam get-access-key-last-used --access-key-id {keyId}'],
};

/** Never remove a key that something still signs requests with. */
export const FIND_KEY_CONSUMERS: ProcedureStep = {
  id: 'find-key-consumers',
  for: 'user',
  only: ['access_key'],
  text:
    'Find everything that still uses access key {slot}: CloudTrail events signed with it (repeat in the region it was last used in), CI/CD secrets, configuration files, secret stores and the owners of {user}.',
  commands: ['aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue={keyId} --max-results 50'],
};

/** Move consumers to the key that stays. */
export const MOVE_CONSUMERS_TO_OTHER_KEY: ProcedureStep = {
  id: 'move-consumers',
  for: 'user',
  only: ['access_key'],
  text: 'Switch every consumer of access key {slot} to access key {otherSlot}, the key that stays.',
};

/** Rotation: the new key lives in the free slot. */
export const CREATE_REPLACEMENT_KEY: ProcedureStep = {
  id: 'create-replacement-key',
  for: 'user',
  only: ['access_key'],
  text:
    'Create the replacement key for access key {slot}. The secret is shown only once: put it straight into the secret store its consumers read, never into a ticket, chat or log.',
  commands: ['aws iam create-access-key --user-name {user}'],
};

/** Rotation: every consumer moves to the new key. */
export const UPDATE_CONSUMERS: ProcedureStep = {
  id: 'update-consumers',
  for: 'user',
  only: ['access_key'],
  text: 'Update every application and tool that used access key {slot} to the new key, and check that each one works with it.',
};

/** Rotation: the old key must go quiet before it is switched off. */
export const CONFIRM_KEY_IDLE: ProcedureStep = {
  id: 'confirm-key-idle',
  for: 'user',
  only: ['access_key'],
  text: "Confirm that access key {slot} is no longer used: its last-used date must stop moving. Check again after the consumers' longest schedule (daily jobs: a day or more).",
  commands: ['aws iam get-access-key-last-used --access-key-id {keyId}'],
};

/** Deactivation is reversible, deletion is not: always deactivate first. */
export const DEACTIVATE_KEY: ProcedureStep = {
  id: 'deactivate-key',
  for: 'user',
  only: ['access_key'],
  text: 'Deactivate access key {slot}. This is reversible: if something breaks, set it back to Active, fix the consumer and start again.',
  commands: ['aws iam update-access-key --user-name {user} --access-key-id {keyId} --status Inactive'],
};

/** A quiet period catches consumers nobody knew about. */
export const OBSERVE_KEY: ProcedureStep = {
  id: 'observe-key',
  for: 'user',
  only: ['access_key'],
  text: 'Wait and watch for a while (a week, or one full business cycle) for failures such as InvalidClientTokenId or AccessDenied from anything that still used access key {slot}.',
};

/** The irreversible end of every retirement. */
export const DELETE_KEY: ProcedureStep = {
  id: 'delete-key',
  for: 'user',
  only: ['access_key'],
  text: 'Delete access key {slot}. This cannot be undone.',
  commands: ['aws iam delete-access-key --user-name {user} --access-key-id {keyId}'],
};

/** Retiring a key: check, find consumers, deactivate, observe, delete. */
export const RETIRE_KEY_STEPS: readonly ProcedureStep[] = [RESOLVE_KEY_IDS, CHECK_KEY_LAST_USED, FIND_KEY_CONSUMERS, DEACTIVATE_KEY, OBSERVE_KEY, DELETE_KEY];

// Root keys are managed by the root user itself, in the console.

/** The root user signs in with the account email; IAM sessions must end first. */
export const ROOT_SIGN_IN: ProcedureStep = {
  id: 'root-sign-in',
  actor: 'root',
  for: 'root',
  text:
    'Sign out of any IAM session, then sign in to the AWS Management Console as the root user of account {account} (choose "Root user" and enter the account email address). Open Security credentials from the account menu.',
};

/** Root keys: identify the key by its creation date. */
export const ROOT_FIND_KEY: ProcedureStep = {
  id: 'root-find-key',
  actor: 'root',
  for: 'root',
  only: ['access_key'],
  text: 'Under Access keys, find access key {slot} (created {lastRotated}) and note its id and its "Last used" details.',
};

/** Root keys: anything using them must move to an IAM role first. */
export const ROOT_MOVE_CONSUMERS: ProcedureStep = {
  id: 'root-move-consumers',
  actor: 'root',
  for: 'root',
  only: ['access_key'],
  text:
    'If anything still uses root access key {slot}, move it to an IAM role (or, failing that, an IAM user) with only the permissions it needs. Only if something truly cannot move yet: create a new root key first (possible without disabling the existing one), switch the consumer, then continue; plan to remove that key too.',
};

/** Root keys: deactivate in the console, reversible. */
export const ROOT_DEACTIVATE_KEY: ProcedureStep = {
  id: 'root-deactivate-key',
  actor: 'root',
  for: 'root',
  only: ['access_key'],
  text: 'Choose Actions > Deactivate for access key {slot}. This is reversible: reactivate it if something breaks, and move that consumer first.',
};

/** Root keys: delete in the console. Only the root user can do it (or a privileged root task). */
export const ROOT_DELETE_KEY: ProcedureStep = {
  id: 'root-delete-key',
  actor: 'root',
  for: 'root',
  only: ['access_key'],
  text: 'After a quiet period with no failures, choose Actions > Delete for access key {slot} and confirm. The root user should end with no access keys.',
};
