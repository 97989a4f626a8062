/** STS over the AWS Query protocol: AssumeRole, AssumeRoot and GetCallerIdentity. */
import type { CallContext, QueryHandler } from './context.js';
import { queryErrors } from './errors.js';
import { element, isoSeconds } from './xml.js';
import { taskPolicyName } from './root-tasks.js';

/** XML namespace of STS responses. */
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

function denied(ctx: CallContext, roleArn: string): never {
  throw queryErrors.accessDenied(`User: ${ctx.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
}

const assumeRole: QueryHandler = (ctx, params) => {
  const roleArn = params.get('RoleArn') ?? '';
  const sessionName = params.get('RoleSessionName') ?? '';
  const externalId = params.get('ExternalId');
  const durationText = params.get('DurationSeconds');
  const match = ROLE_ARN.exec(roleArn);
  if (match === null) throw queryErrors.validation(`${roleArn} is invalid`);
  if (!SESSION_NAME.test(sessionName)) {
    throw queryErrors.validation(
      "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
  }
  if (externalId !== null && !EXTERNAL_ID.test(externalId)) {
    throw queryErrors.validation(
      "1 validation error detected: Value at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*",
    );
  }
  const duration = durationText === null ? 3600 : Number(durationText);
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    throw queryErrors.validation(
      `1 validation error detected: Value '${durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
    );
  }
  // Role chaining (a role session assuming a role) is capped at one hour whatever the role allows.
  if (ctx.principal.arn.includes(':assumed-role/') && duration > 3600) {
    throw queryErrors.validation('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  const [, partition, accountId = '', roleName = ''] = match;
  ctx.entry.targetAccountId = accountId;
  if (partition !== ctx.org.partition) denied(ctx, roleArn);
  const target = ctx.org.accounts.get(accountId);
  if (target === undefined || target.state !== 'ACTIVE' || target.status !== 'ACTIVE') denied(ctx, roleArn);
  const role = target.roles.get(roleName);
  if (role === undefined || target.faults.denyAssumeRole || (ctx.faults.denyAssumeRole ?? []).includes(accountId)) denied(ctx, roleArn);
  if (role.externalId !== undefined && role.externalId !== externalId) denied(ctx, roleArn);
  if (duration > (role.maxSessionDuration ?? 3600)) {
    throw queryErrors.validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  const expiresAt = ctx.now + duration * 1000;
  const issued = ctx.keys.issue(accountId, roleName, sessionName, ctx.org.partition, expiresAt);
  return (
    `<AssumedRoleUser>${element('AssumedRoleId', issued.userId)}${element('Arn', issued.arn)}</AssumedRoleUser>` +
    `<Credentials>${element('AccessKeyId', issued.accessKeyId)}${element('SecretAccessKey', issued.secretAccessKey)}` +
    `${element('SessionToken', issued.sessionToken)}${element('Expiration', isoSeconds(expiresAt))}</Credentials>`
  );
};

/**
 * sts:AssumeRoot: a privileged root session in a member account, from the management account or
 * the delegated administrator for IAM, with the RootSessions feature enabled; limited to one
 * task policy (enforced on every later call, see root-tasks.ts) and to 15 minutes.
 */
const assumeRoot: QueryHandler = (ctx, params) => {
  const target = params.get('TargetPrincipal') ?? '';
  const taskArn = params.get('TaskPolicyArn.arn') ?? '';
  const durationText = params.get('DurationSeconds');
  const duration = durationText === null ? 900 : Number(durationText);
  if (!Number.isInteger(duration) || duration < 0 || duration > 900) {
    throw queryErrors.validation(
      `1 validation error detected: Value '${durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 900`,
    );
  }
  const task = taskPolicyName(taskArn);
  if (task === undefined) throw queryErrors.validation(`${taskArn} is not a valid root task policy ARN`);
  ctx.entry.targetAccountId = target;
  const org = ctx.org;
  const refuse = () => {
    throw queryErrors.accessDenied(
      `User: ${ctx.principal.arn} is not authorized to perform: sts:AssumeRoot on resource: arn:${org.partition}:iam::${target}:root`,
    );
  };
  // Only IAM principals of the management account or the delegated administrator; root sessions cannot chain.
  if (!org.isOrgAdministrator(ctx.principal.accountId) || ctx.principal.taskPolicy !== undefined) refuse();
  if (!(org.fixture.features ?? []).includes('RootSessions')) refuse();
  const account = org.accounts.get(target);
  if (account === undefined || target === org.fixture.managementAccountId || account.state !== 'ACTIVE') refuse();
  const expiresAt = ctx.now + duration * 1000;
  const issued = ctx.keys.issueRoot(target, task, org.partition, expiresAt);
  return (
    `<Credentials>${element('AccessKeyId', issued.accessKeyId)}${element('SecretAccessKey', issued.secretAccessKey)}` +
    `${element('SessionToken', issued.sessionToken)}${element('Expiration', isoSeconds(expiresAt))}</Credentials>`
  );
};

const getCallerIdentity: QueryHandler = (ctx) =>
  element('UserId', ctx.principal.userId) + element('Account', ctx.principal.accountId) + element('Arn', ctx.principal.arn);

/** STS operations the sandbox serves, by Action name. */
export const STS_HANDLERS: Record<string, QueryHandler> = {
  AssumeRole: assumeRole,
  AssumeRoot: assumeRoot,
  GetCallerIdentity: getCallerIdentity,
};
