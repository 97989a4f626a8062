import type { Finding, ScanResult } from '../../model/index.js';

/** A previous result's findings by account: what the compare stage needs of a baseline. */
export interface BaselineIndex {
  /** The baseline's findings of one account (empty when it had none). */
  findingsOf(accountId: string): readonly Finding[];
}

/** Indexes a baseline result held in memory by account. */
export function baselineIndex(baseline: Pick<ScanResult, 'findings'>): BaselineIndex {
  const byAccount = new Map<string, Finding[]>();
  for (const finding of baseline.findings) {
    const list = byAccount.get(finding.accountId);
    if (list) list.push(finding);
    else byAccount.set(finding.accountId, [finding]);
  }
  return { findingsOf: (accountId) => byAccount.get(accountId) ?? [] };
}
