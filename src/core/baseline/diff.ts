import type { Finding, ScanResult } from '../../model/index.js';
import { compareFindings } from '../engine/result.js';

/** A finding present in both scans whose severity or status changed. */
export interface ChangedFinding {
  before: Finding;
  after: Finding;
  changes: ('severity' | 'status')[];
}

/** What changed between two scans, matched by fingerprint. */
export interface ResultDiff {
  old: { asOf: string | null; pack: string; rulesHash: string; accounts: number };
  new: { asOf: string | null; pack: string; rulesHash: string; accounts: number };
  /** Findings only in the new scan. */
  added: Finding[];
  /** Findings only in the old scan (of accounts the new scan covered). */
  resolved: Finding[];
  /** Same fingerprint, different severity or status (e.g. newly waived). */
  changed: ChangedFinding[];
  /** Findings present in both and unchanged. */
  unchanged: number;
  /** Accounts only in one of the scans, or scanned in one and not the other. */
  accounts: { added: string[]; removed: string[] };
  /** True when the two scans used different rules or parameters. */
  rulesChanged: boolean;
}

/**
 * Compares two scan results. Pure: both results are passed in. Findings of an
 * account that the new scan did not scan are not reported as resolved.
 */
export function diffResults(before: ScanResult, after: ScanResult): ResultDiff {
  const oldByPrint = new Map(before.findings.map((f) => [f.fingerprint, f]));
  const newByPrint = new Map(after.findings.map((f) => [f.fingerprint, f]));
  const scannedNow = new Set(after.accounts.filter((a) => a.status === 'scanned').map((a) => a.id));
  const changed: ChangedFinding[] = [];
  let unchanged = 0;
  for (const [print, now] of newByPrint) {
    const then = oldByPrint.get(print);
    if (!then) continue;
    const changes = [
      ...(then.severity !== now.severity ? (['severity'] as const) : []),
      ...(then.status !== now.status ? (['status'] as const) : []),
    ];
    if (changes.length > 0) changed.push({ before: then, after: now, changes });
    else unchanged++;
  }
  const scannedIds = (r: ScanResult) => new Set(r.accounts.filter((a) => a.status === 'scanned').map((a) => a.id));
  const oldAccounts = scannedIds(before);
  const newAccounts = scannedIds(after);
  return {
    old: meta(before),
    new: meta(after),
    added: after.findings.filter((f) => !oldByPrint.has(f.fingerprint)).sort(compareFindings),
    resolved: before.findings.filter((f) => !newByPrint.has(f.fingerprint) && scannedNow.has(f.accountId)).sort(compareFindings),
    changed: changed.sort((a, b) => compareFindings(a.after, b.after)),
    unchanged,
    accounts: {
      added: [...newAccounts].filter((a) => !oldAccounts.has(a)).sort(),
      removed: [...oldAccounts].filter((a) => !newAccounts.has(a)).sort(),
    },
    rulesChanged: before.rulesHash !== after.rulesHash,
  };
}

function meta(result: ScanResult): ResultDiff['old'] {
  return {
    asOf: result.asOf,
    pack: result.pack,
    rulesHash: result.rulesHash,
    accounts: result.accounts.filter((a) => a.status === 'scanned').length,
  };
}
