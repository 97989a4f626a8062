import type { Finding, ScanResult } from '../../model/index.js';

/**
 * When a finding the baseline already had was first seen: the baseline's own `firstSeen` when it
 * recorded one (so the time carries from scan to scan), else the time the baseline observed the
 * finding's account. Undefined when the baseline did not have the finding: it is first seen now.
 * ASFF CreatedAt is defined as when the issue was first seen, so it must not move with every scan.
 */
export function firstSeenFromBaseline(
  prior: Pick<Finding, 'firstSeen'> | undefined,
  baselineAccountAsOf: string | undefined,
): string | undefined {
  if (prior === undefined) return undefined;
  return prior.firstSeen ?? baselineAccountAsOf;
}

/** The time a result observed each account (its as-of, else its report time, else the result's as-of), by account id. */
export function accountTimes(result: Pick<ScanResult, 'accounts' | 'asOf'>): Map<string, string> {
  const times = new Map<string, string>();
  for (const account of result.accounts) {
    const time = account.asOf ?? account.reportGeneratedTime ?? result.asOf;
    if (time) times.set(account.id, time);
  }
  return times;
}
