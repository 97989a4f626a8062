import type { Finding, ScanResult } from '../../model/index.js';
import { SEVERITIES, severityRank } from '../../model/index.js';
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

/** The parts of a result's header a diff reads. */
export type DiffHeader = Pick<ScanResult, 'asOf' | 'pack' | 'rulesHash' | 'accounts'>;

const STATUS_BIT = 1;
const SEVERITY_SHIFT = 1;
const ACCOUNT_SHIFT = 4;

/**
 * Compares two results read as streams, keeping a compact index of the old one (fingerprint ->
 * one number packing account, severity and status), never either result whole: read the old
 * findings into {@link indexOld}, the new ones into {@link addNew}, then the old ones again into
 * {@link collectOld} (which keeps only the resolved findings and the old side of the changed
 * ones), then {@link finish}. What is kept besides the index is what the diff lists.
 */
export class ResultComparison {
  private readonly old = new Map<string, number>();
  private readonly accountIds = new Map<string, number>();
  private readonly accountList: string[] = [];
  private readonly seen = new Set<string>();
  private readonly added: Finding[] = [];
  private readonly changedAfter = new Map<string, Finding>();
  private readonly changed: ChangedFinding[] = [];
  private readonly resolved: Finding[] = [];
  private unchanged = 0;
  private scannedNow: Set<string> | undefined;

  /** Pass 1: one finding of the old result. */
  indexOld(f: Finding): void {
    this.old.set(f.fingerprint, this.pack(f));
  }

  /** Pass 2: one finding of the new result. */
  addNew(f: Finding): void {
    const packed = this.old.get(f.fingerprint);
    if (packed === undefined) {
      this.added.push(f);
      return;
    }
    this.seen.add(f.fingerprint);
    const changedSeverity = SEVERITIES[(packed >> SEVERITY_SHIFT) & 7] !== f.severity;
    const changedStatus = (packed & STATUS_BIT ? 'waived' : 'open') !== f.status;
    if (changedSeverity || changedStatus) this.changedAfter.set(f.fingerprint, f);
    else this.unchanged++;
  }

  /** After pass 2: the new result's accounts (its findings of unscanned accounts are not resolved). */
  newAccounts(accounts: DiffHeader['accounts']): void {
    this.scannedNow = scannedIds(accounts);
  }

  /** Pass 3: the old findings again; keeps the resolved ones and the old side of the changed ones. */
  collectOld(f: Finding): void {
    const after = this.changedAfter.get(f.fingerprint);
    if (after) {
      const changes = [
        ...(f.severity !== after.severity ? (['severity'] as const) : []),
        ...(f.status !== after.status ? (['status'] as const) : []),
      ];
      this.changed.push({ before: f, after, changes });
    } else if (!this.seen.has(f.fingerprint) && this.scannedNow?.has(f.accountId)) this.resolved.push(f);
  }

  /** The diff, once the three passes are done. */
  finish(before: DiffHeader, after: DiffHeader): ResultDiff {
    const oldAccounts = scannedIds(before.accounts);
    const newAccounts = scannedIds(after.accounts);
    return {
      old: meta(before),
      new: meta(after),
      added: this.added.sort(compareFindings),
      resolved: this.resolved.sort(compareFindings),
      changed: this.changed.sort((a, b) => compareFindings(a.after, b.after)),
      unchanged: this.unchanged,
      accounts: {
        added: [...newAccounts].filter((a) => !oldAccounts.has(a)).sort(),
        removed: [...oldAccounts].filter((a) => !newAccounts.has(a)).sort(),
      },
      rulesChanged: before.rulesHash !== after.rulesHash,
    };
  }

  private pack(f: Finding): number {
    let account = this.accountIds.get(f.accountId);
    if (account === undefined) {
      account = this.accountList.push(f.accountId) - 1;
      this.accountIds.set(f.accountId, account);
    }
    return account * 2 ** ACCOUNT_SHIFT + (severityRank(f.severity) << SEVERITY_SHIFT) + (f.status === 'waived' ? STATUS_BIT : 0);
  }
}

/**
 * Compares two scan results held whole (the streamed {@link ResultComparison}, fed from memory).
 * Findings of an account that the new scan did not scan are not reported as resolved.
 */
export function diffResults(before: ScanResult, after: ScanResult): ResultDiff {
  const comparison = new ResultComparison();
  for (const f of before.findings) comparison.indexOld(f);
  for (const f of after.findings) comparison.addNew(f);
  comparison.newAccounts(after.accounts);
  for (const f of before.findings) comparison.collectOld(f);
  return comparison.finish(before, after);
}

function scannedIds(accounts: DiffHeader['accounts']): Set<string> {
  return new Set(accounts.filter((a) => a.status === 'scanned').map((a) => a.id));
}

function meta(result: DiffHeader): ResultDiff['old'] {
  return {
    asOf: result.asOf,
    pack: result.pack,
    rulesHash: result.rulesHash,
    accounts: result.accounts.filter((a) => a.status === 'scanned').length,
  };
}
