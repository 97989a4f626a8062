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
 * The longest name, path and ARN kept whole. IAM's own limits are 64 characters for a name, 512
 * for a path and so about 620 for an ARN; only a tampered report goes beyond (and is warned
 * about per row), and a long name copied into every finding, plan and command would make
 * reports many times the size of their input.
 */
export const MAX_KEPT = { name: 128, path: 600, arn: 768 } as const;

/** A value cut to `max` characters, ending with its length and hash, so that two long values stay apart. */
export function boundedName(value: string, max: number = MAX_KEPT.name): string {
  if (value.length <= max) return value;
  const tail = `…[${value.length} characters, sha256 ${sha256(value).slice(0, 16)}]`;
  return `${value.slice(0, Math.max(0, max - tail.length))}${tail}`;
}

/** The principal with an over-long name, ARN or path cut to {@link MAX_KEPT}. */
export function boundedPrincipal(principal: Principal): Principal {
  const { name, arn, path } = principal;
  if (name.length <= MAX_KEPT.name && arn.length <= MAX_KEPT.arn && (path === undefined || path.length <= MAX_KEPT.path)) return principal;
  return {
    ...principal,
    name: boundedName(name, MAX_KEPT.name),
    arn: boundedName(arn, MAX_KEPT.arn),
    ...(path !== undefined ? { path: boundedName(path, MAX_KEPT.path) } : {}),
  };
}
