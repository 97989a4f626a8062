import type { Finding, ScanResult } from '../../model/index.js';
import { summarise } from '../engine/result.js';

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
  private readonly existing = new Set<string>();
  private readonly resolved: Finding[] = [];

  constructor(private readonly result: ScanResult) {
    this.now = new Set(result.findings.map((f) => f.fingerprint));
    this.scanned = new Set(result.accounts.filter((a) => a.status === 'scanned').map((a) => a.id));
  }

  /** One finding of the baseline. */
  add(finding: Finding): void {
    if (this.now.has(finding.fingerprint)) this.existing.add(finding.fingerprint);
    else if (this.scanned.has(finding.accountId)) this.resolved.push(stripBaseline(finding));
  }

  /** The result with each finding `new` or `existing`, and the resolved ones listed. */
  apply(): ScanResult {
    const findings: Finding[] = this.result.findings.map((f) => ({
      ...f,
      baseline: this.existing.has(f.fingerprint) ? 'existing' : 'new',
    }));
    return { ...this.result, findings, resolved: this.resolved, summary: summarise(findings, this.result.accounts) };
  }
}

/** {@link BaselineComparison} of a result and a baseline held whole. */
export function applyBaseline(result: ScanResult, baseline: ScanResult): ScanResult {
  const comparison = new BaselineComparison(result);
  for (const finding of baseline.findings) comparison.add(finding);
  return comparison.apply();
}

/** A baseline finding as listed among the resolved: its plan was the baseline's, not this result's. */
function stripBaseline(finding: Finding): Finding {
  const { baseline: _baseline, remediation, ...rest } = finding;
  return { ...rest, remediation: { procedure: remediation.procedure } };
}

/** True when an open finding is new since the baseline (and, with `atLeast`, severe enough). */
export function hasNewFindings(result: ScanResult, reaches: (finding: Finding) => boolean = () => true): boolean {
  return result.findings.some((f) => f.status === 'open' && f.baseline === 'new' && reaches(f));
}
