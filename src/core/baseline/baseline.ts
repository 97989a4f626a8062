import type { Finding, ScanResult } from '../../model/index.js';
import { summarise } from '../engine/result.js';
import { accountTimes, firstSeenFromBaseline } from './first-seen.js';

/**
 * Compares a result with the previous one (the baseline) by fingerprint, the baseline read as a
 * stream: feed every baseline finding to {@link add}, then {@link apply}. Only what the
 * comparison needs is kept: the fingerprints the result shares with the baseline, and the
 * baseline findings that are gone (they are listed in the result as `resolved`).
 * A baseline finding of an account that this scan did not scan (failed, skipped, or in another
 * shard) is not counted as resolved.
 */
export class BaselineComparison {
  private readonly now: Set<string>;
  private readonly scanned: Set<string>;
  /** The fingerprints the baseline shares with the result, each with when it was first seen (if known). */
  private readonly existing = new Map<string, string | undefined>();
  private readonly resolved: Finding[] = [];

  /** `baselineTimes`: when the baseline observed each account ({@link accountTimes} of its header), for first-seen times. */
  constructor(
    private readonly result: ScanResult,
    private readonly baselineTimes: ReadonlyMap<string, string> = new Map(),
  ) {
    this.now = new Set(result.findings.map((f) => f.fingerprint));
    this.scanned = new Set(result.accounts.filter((a) => a.status === 'scanned').map((a) => a.id));
  }

  /** One finding of the baseline. */
  add(finding: Finding): void {
    if (this.now.has(finding.fingerprint))
      this.existing.set(finding.fingerprint, firstSeenFromBaseline(finding, this.baselineTimes.get(finding.accountId)));
    else if (this.scanned.has(finding.accountId)) this.resolved.push(stripBaseline(finding, this.baselineTimes.get(finding.accountId)));
  }

  /** The result with each finding `new` or `existing` (keeping the baseline's first-seen time), and the resolved ones listed. */
  apply(): ScanResult {
    const findings: Finding[] = this.result.findings.map((f) => {
      if (!this.existing.has(f.fingerprint)) return { ...f, baseline: 'new' };
      const firstSeen = this.existing.get(f.fingerprint);
      return { ...f, baseline: 'existing', ...(firstSeen ? { firstSeen } : {}) };
    });
    return { ...this.result, findings, resolved: this.resolved, summary: summarise(findings, this.result.accounts) };
  }
}

/** {@link BaselineComparison} of a result and a baseline held whole. */
export function applyBaseline(result: ScanResult, baseline: ScanResult): ScanResult {
  const comparison = new BaselineComparison(result, accountTimes(baseline));
  for (const finding of baseline.findings) comparison.add(finding);
  return comparison.apply();
}

/** A baseline finding as listed among the resolved: its plan was the baseline's, not this result's; it keeps when it was first seen. */
function stripBaseline(finding: Finding, baselineAccountAsOf: string | undefined): Finding {
  const { baseline: _baseline, remediation, ...rest } = finding;
  const firstSeen = firstSeenFromBaseline(finding, baselineAccountAsOf);
  return { ...rest, remediation: { procedure: remediation.procedure }, ...(firstSeen ? { firstSeen } : {}) };
}

/** True when an open finding is new since the baseline (and, with `atLeast`, severe enough). */
export function hasNewFindings(result: ScanResult, reaches: (finding: Finding) => boolean = () => true): boolean {
  return result.findings.some((f) => f.status === 'open' && f.baseline === 'new' && reaches(f));
}
