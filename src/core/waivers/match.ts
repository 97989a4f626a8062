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

/**
 * Names and ARNs of every shape a principal can have. A principal pattern that matches
 * all of them (by name or ARN) matches every principal: `*`, `**`, `?*`, `{*,}`, …
 */
const PROBE_PRINCIPALS: readonly Finding['principal'][] = [
  { type: 'root', name: '<root_account>', arn: 'arn:aws:iam::000000000000:root' },
  { type: 'user', name: 'a', arn: 'arn:aws:iam::000000000000:user/a' },
  { type: 'user', name: '.x', arn: 'arn:aws:iam::000000000000:user/.x' },
  { type: 'user', name: 'A-Z_0.9+=,@', arn: 'arn:aws-us-gov:iam::999999999999:user/p/q/r/A-Z_0.9+=,@' },
] as Finding['principal'][];

/** How much a waiver covers: `catch-all` (every rule, account and principal), `broad`, or `narrow`. */
export type WaiverBreadth = 'catch-all' | 'broad' | 'narrow';

/**
 * A waiver is `broad` when it waives every rule (`rule: '*'`) or every principal (a glob that
 * matches any name); `catch-all` when it also waives every account and every credential, so
 * that it waives every finding of every scan.
 */
export function waiverBreadth(waiver: { rule: string; account: string; principal: string; credential?: string | null }): WaiverBreadth {
  const everyPrincipal = PROBE_PRINCIPALS.every((p) => principalMatches(waiver.principal, p));
  if (waiver.rule === '*' && waiver.account === '*' && everyPrincipal && waiver.credential == null) return 'catch-all';
  return waiver.rule === '*' || everyPrincipal ? 'broad' : 'narrow';
}
