import picomatch from 'picomatch';
import type { Finding } from '../../model/index.js';
import type { Waiver } from '../../model/generated/waivers.js';

const matchers = new Map<string, (text: string) => boolean>();

/** A compiled glob, cached: waivers are matched against every finding. */
function glob(pattern: string): (text: string) => boolean {
  let matcher = matchers.get(pattern);
  if (!matcher) {
    // IAM names may contain + and @, which picomatch would read as extglobs;
    // only *, ?, [...] and {...} are glob syntax in a waiver.
    matcher = picomatch(pattern, { noextglob: true, dot: true });
    matchers.set(pattern, matcher);
  }
  return matcher;
}

/**
 * Whether a waiver covers a finding: same rule (or `*`), same account (or `*`),
 * a principal given as an exact ARN or name or a glob on either, and the same
 * credential when the waiver names one.
 */
export function waiverMatches(waiver: Waiver, finding: Finding): boolean {
  if (waiver.rule !== '*' && waiver.rule !== finding.ruleId) return false;
  if (waiver.account !== '*' && waiver.account !== finding.accountId) return false;
  if (waiver.credential !== undefined && waiver.credential !== finding.credential) return false;
  return principalMatches(waiver.principal, finding.principal);
}

/** Exact name or ARN first (names may contain glob characters), then the glob on either. */
export function principalMatches(pattern: string, principal: Finding['principal']): boolean {
  if (pattern === principal.arn || pattern === principal.name) return true;
  const matcher = glob(pattern);
  return matcher(principal.arn) || matcher(principal.name);
}
