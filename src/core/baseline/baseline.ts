import type { Finding, ScanResult } from '../../model/index.js';
import { summarise } from '../engine/result.js';

/**
 * Compares a result with the previous one (the baseline) by fingerprint: each
 * finding becomes `new` or `existing`, and baseline findings that are gone are
 * listed as `resolved`. A baseline finding of an account that this scan did not
 * scan (failed, skipped, or in another shard) is not counted as resolved.
 */
export function applyBaseline(result: ScanResult, baseline: ScanResult): ScanResult {
  const before = new Set(baseline.findings.map((f) => f.fingerprint));
  const now = new Set(result.findings.map((f) => f.fingerprint));
  const scanned = new Set(result.accounts.filter((a) => a.status === 'scanned').map((a) => a.id));
  const findings: Finding[] = result.findings.map((f) => ({ ...f, baseline: before.has(f.fingerprint) ? 'existing' : 'new' }));
  const resolved = baseline.findings.filter((f) => !now.has(f.fingerprint) && scanned.has(f.accountId)).map(stripBaseline);
  return { ...result, findings, resolved, summary: summarise(findings, result.accounts) };
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
