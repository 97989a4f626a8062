import type { Principal } from '../../model/index.js';
import { quoteValue } from '../util/shape.js';
import { sha256 } from '../util/hash.js';

/**
 * IAM's own rules for what a credential report can hold (IAM API reference, CreateUser): a user
 * name is 1 to 64 characters of letters, digits and `+=,.@_-`; a path is `/`, or `/`-delimited
 * printable ASCII (U+0021 to U+007E) of at most 512 characters. A report whose names break them
 * was not written by IAM as it is: it has been edited or damaged.
 */
const USER_NAME = /^[\w+=,.@-]{1,64}$/;
const PATH = /^(\/|\/[\u0021-\u007E]{1,510}\/)$/;

/**
 * What is wrong with a principal's name or path by IAM's rules, in words that quote the value
 * safely (clipped, control characters visible); undefined when nothing is. The root user has
 * no name of its own in the report (`<root_account>`) and is not checked.
 */
export function nameProblem(principal: Pick<Principal, 'type' | 'name' | 'path'>): string | undefined {
  if (principal.type === 'root') return undefined;
  if (!USER_NAME.test(principal.name))
    return `user name ${quoteValue(principal.name)} breaks IAM's rules (1 to 64 letters, digits and + = , . @ _ -)`;
  if (principal.path !== undefined && !PATH.test(principal.path))
    return `path ${quoteValue(principal.path)} breaks IAM's rules (printable ASCII between slashes, at most 512 characters)`;
  return undefined;
}

/**
 * The longest name, ARN or path kept whole. IAM's own limits are 64 (names), 512 (paths) and so
 * about 600 for an ARN; only a tampered report goes beyond, and a 10 MB name copied into every
 * finding, plan and command would make reports of hundreds of megabytes.
 */
export const MAX_KEPT_NAME = 1024;

/** A value cut to {@link MAX_KEPT_NAME}, naming its length and hash, so that two long values stay apart. */
export function boundedName(value: string): string {
  if (value.length <= MAX_KEPT_NAME) return value;
  return `${value.slice(0, MAX_KEPT_NAME - 100)}…[${value.length} characters, sha256 ${sha256(value).slice(0, 16)}]`;
}

/** The principal with an over-long name, ARN or path cut by {@link boundedName}. */
export function boundedPrincipal(principal: Principal): Principal {
  const long = (v: string | undefined) => v !== undefined && v.length > MAX_KEPT_NAME;
  if (!long(principal.name) && !long(principal.arn) && !long(principal.path)) return principal;
  return {
    ...principal,
    name: boundedName(principal.name),
    arn: boundedName(principal.arn),
    ...(principal.path !== undefined ? { path: boundedName(principal.path) } : {}),
  };
}
