import type { Finding, ScanResult } from '../../model/index.js';
import { accountTimes } from '../baseline/first-seen.js';

/** A previous result's findings by account: what the compare stage needs of a baseline. */
export interface BaselineIndex {
  /** The baseline's findings of one account (empty when it had none). */
  findingsOf(accountId: string): readonly Finding[];
  /** When the baseline observed an account (its as-of, else its report time, else the result's as-of). */
  asOfOf(accountId: string): string | undefined;
}

/** Indexes a baseline result held in memory by account. */
export function baselineIndex(baseline: Pick<ScanResult, 'findings'> & Partial<Pick<ScanResult, 'accounts' | 'asOf'>>): BaselineIndex {
  const byAccount = new Map<string, Finding[]>();
  for (const finding of baseline.findings) {
    const list = byAccount.get(finding.accountId);
    if (list) list.push(finding);
    else byAccount.set(finding.accountId, [finding]);
  }
  const times = accountTimes({ accounts: baseline.accounts ?? [], asOf: baseline.asOf ?? null });
  return {
    findingsOf: (accountId) => byAccount.get(accountId) ?? [],
    asOfOf: (accountId) => times.get(accountId) ?? baseline.asOf ?? undefined,
  };
}
