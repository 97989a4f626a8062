import { makeContext, type ContextValue, type RequestContext } from '../policy/index.js';
import type { RoleDetail, UserDetail } from './types.js';

function tagEntries(prefixes: readonly string[], tags: Record<string, string> | undefined): Record<string, ContextValue> {
  const out: Record<string, ContextValue> = {};
  if (!tags) return out; // tags not collected: every tag key stays unknown
  for (const prefix of prefixes) {
    out[`${prefix}/*`] = null;
    for (const [key, value] of Object.entries(tags)) out[`${prefix}/${key}`] = value;
  }
  return out;
}

/** The acting principal: an IAM user (long-term credentials) or a role session. */
export type Actor = { kind: 'user'; user: UserDetail } | { kind: 'role'; role: RoleDetail };

/**
 * The request context IAM would build when `actor` acts on `target` (a user or role), limited to
 * keys whose values follow from collected data. MFA, source IP, request tags, time of day
 * and the like are left unknown on purpose: statements that test them become conditional.
 */
export function requestContext(actor: Actor, target: Pick<UserDetail, 'tags'>, accountId: string): RequestContext {
  const principal =
    actor.kind === 'user'
      ? {
          'aws:username': actor.user.name,
          'aws:PrincipalArn': actor.user.arn,
          'aws:PrincipalType': 'User',
          ...(actor.user.id ? { 'aws:userid': actor.user.id } : {}),
          ...tagEntries(['aws:PrincipalTag'], actor.user.tags),
        }
      : {
          // A role session has no user name; its user id includes the unknown session name.
          'aws:username': null,
          'aws:PrincipalArn': actor.role.arn,
          'aws:PrincipalType': 'AssumedRole',
          ...tagEntries(['aws:PrincipalTag'], actor.role.tags),
        };
  return makeContext({
    ...principal,
    'aws:PrincipalAccount': accountId,
    'aws:PrincipalIsAWSService': 'false',
    'aws:ResourceAccount': accountId,
    ...tagEntries(['aws:ResourceTag', 'iam:ResourceTag'], target.tags),
  });
}

/** The context of the account's root user acting on `target` (only SCPs restrict root). */
export function rootContext(target: UserDetail, accountId: string, partition: string): RequestContext {
  return makeContext({
    'aws:PrincipalArn': `arn:${partition}:iam::${accountId}:root`,
    'aws:PrincipalAccount': accountId,
    'aws:PrincipalType': 'Account',
    'aws:username': null,
    'aws:PrincipalIsAWSService': 'false',
    ...tagEntries(['aws:ResourceTag', 'iam:ResourceTag'], target.tags),
  });
}
