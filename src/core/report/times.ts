/**
 * The times of a principal's credential report row as epoch milliseconds, parsed once.
 *
 * Reading a report must parse every time to check it (a bad one is an error naming its file,
 * line and column). Evaluation (every age a rule reads) and planning (every slot's age) need the
 * same times as numbers: they take them from here instead of parsing the text again, which each
 * did before for every time of every principal.
 *
 * The model keeps the times as the report's text (that is what the reports print), so the
 * numbers are held beside an account's principals: by the principals' array, one entry per
 * report, not per principal. Principals listed in another array (a snapshot, a copy with facts
 * added, a structured clone in a worker) have none recorded, and their times are parsed once,
 * at their first use, and then kept the same way.
 */
import type { AccessKey, Certificate, Principal } from '../../model/index.js';
import { parseTimestamp } from '../util/time.js';

/**
 * A principal's times in epoch ms, at the {@link TIME} positions: NaN where the row has no time
 * (N/A, no_information, not_supported) or, for a principal not read from a report, a text that
 * is not a time. One array of numbers per principal: V8 stores them unboxed, in one allocation.
 */
export type PrincipalTimes = readonly number[];

/** Where each time of a principal is in its {@link PrincipalTimes}. */
export const TIME = {
  createdAt: 0,
  passwordLastUsed: 1,
  passwordLastChanged: 2,
  passwordNextRotation: 3,
  /** The access key at position 0 (slot 1); the one at position 1 follows at +2. */
  keyLastRotated: 4,
  keyLastUsed: 5,
  /** The certificate at position 0 (slot 1); the one at position 1 follows at +1. */
  certLastRotated: 8,
} as const;

/** A principal's times, every one unknown: filled in by the report reader as it checks each. */
export function unknownTimes(): number[] {
  // A literal of doubles: the array holds unboxed numbers from the start.
  return [NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN];
}

/** The times of each principal of an array, by the array (an account's `principals`). */
const recorded = new WeakMap<readonly Principal[], readonly PrincipalTimes[]>();

/**
 * Keeps the times the report reader parsed for `principals` (`times[i]` those of `principals[i]`),
 * for {@link timesOfPrincipals}. The array must not change afterwards (nothing changes a principal list).
 */
export function recordTimes(principals: readonly Principal[], times: readonly PrincipalTimes[]): void {
  recorded.set(principals, times);
}

/**
 * Drops the times kept for `principals`, once no stage needs them: an account kept whole after
 * its stages (scan --save-snapshot) would otherwise keep them too. A later need parses them again.
 */
export function forgetTimes(principals: readonly Principal[]): void {
  recorded.delete(principals);
}

/**
 * The times of each principal of `principals`, by position: the ones the report reader recorded,
 * else parsed from the principals' text now (and kept for the next stage).
 */
export function timesOfPrincipals(principals: readonly Principal[]): readonly PrincipalTimes[] {
  const times = recorded.get(principals);
  if (times !== undefined && times.length === principals.length) return times;
  const parsed = principals.map(principalTimes);
  recorded.set(principals, parsed);
  return parsed;
}

/** The times of one principal, parsed from its text (NaN for a null time or a text that is not a time). */
export function principalTimes(principal: Principal): PrincipalTimes {
  const times = unknownTimes();
  times[TIME.createdAt] = msOf(principal.createdAt);
  times[TIME.passwordLastUsed] = msOf(principal.password.lastUsed);
  times[TIME.passwordLastChanged] = msOf(principal.password.lastChanged);
  times[TIME.passwordNextRotation] = msOf(principal.password.nextRotation);
  for (let i = 0; i < 2; i++) {
    const key = principal.accessKeys[i];
    times[TIME.keyLastRotated + 2 * i] = msOf(key?.lastRotated);
    times[TIME.keyLastUsed + 2 * i] = msOf(key?.lastUsed);
    times[TIME.certLastRotated + i] = msOf(principal.certificates[i]?.lastRotated);
  }
  return times;
}

/**
 * A time of the access key `key` of `principal` in epoch ms (NaN: none), from `times`. Without
 * times, or for a key that is not one of the principal's two slots, the key's text is parsed.
 */
export function keyTimeMs(
  principal: Principal,
  times: PrincipalTimes | undefined,
  key: AccessKey,
  which: 'lastRotated' | 'lastUsed',
): number {
  if (times === undefined) return msOf(key[which]);
  const at = which === 'lastRotated' ? TIME.keyLastRotated : TIME.keyLastUsed;
  if (key === principal.accessKeys[0]) return times[at]!;
  if (key === principal.accessKeys[1]) return times[at + 2]!;
  return msOf(key[which]);
}

/** The last rotation of the certificate `cert` of `principal` in epoch ms (NaN: none), as {@link keyTimeMs}. */
export function certTimeMs(principal: Principal, times: PrincipalTimes | undefined, cert: Certificate): number {
  if (times === undefined) return msOf(cert.lastRotated);
  if (cert === principal.certificates[0]) return times[TIME.certLastRotated]!;
  if (cert === principal.certificates[1]) return times[TIME.certLastRotated + 1]!;
  return msOf(cert.lastRotated);
}

function msOf(time: string | null | undefined): number {
  return time === null || time === undefined ? Number.NaN : parseTimestamp(time);
}
