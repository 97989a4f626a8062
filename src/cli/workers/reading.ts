/**
 * Reading one saved credential report of a scan (`--from`), the same on the main thread and in a
 * worker thread: a worker is handed the report's path, not its parsed account, so reading and
 * parsing are shared out with the rest of the work. What reading gave (warnings, errors, the
 * account) goes back to the main thread, which reports it in the reports' order, so the
 * messages are the same whatever the number of threads.
 */
import type { Account, Diagnostic } from '../../model/index.js';
import { shardOf, type ShardSpec } from '../../core/baseline/shard.js';
import { readReportItem, type ReadOptions, type ReportItem } from '../../collectors/files/reports.js';

/** Which accounts a scan evaluates: --accounts, --exclude-accounts, --shard (structured-cloneable). */
export interface AccountSelection {
  /** Only these ids; undefined keeps every account. */
  only?: ReadonlySet<string>;
  exclude: ReadonlySet<string>;
  shard?: ShardSpec;
}

/** How a scan reads its saved reports. */
export interface ReportReading {
  read: ReadOptions;
  accounts: AccountSelection;
  /** Hand each evaluated account back whole (--save-snapshot keeps them); otherwise only what the scan's warnings name. */
  keepAccounts: boolean;
}

/** What the scan needs to know of an evaluated account once it has been processed. */
export type EvaluatedAccount = Pick<Account, 'id' | 'reportGeneratedTime' | 'source'>;

/** What reading one report gave the scan. */
export interface ReportOutcome {
  warnings: Diagnostic[];
  diagnostics: Diagnostic[];
  /** The account, when it is evaluated (not a bad report, an older one, or one the selection leaves out). */
  evaluated?: Account | EvaluatedAccount;
}

/** Whether the selection keeps account `id`. */
export function selects(selection: AccountSelection, id: string): boolean {
  if (selection.only !== undefined && !selection.only.has(id)) return false;
  if (selection.exclude.has(id)) return false;
  return !selection.shard || shardOf(id, selection.shard.count) === selection.shard.index;
}

/**
 * Reads and checks one saved report. Returns what the main thread reports of it and, when the
 * account is to be evaluated, the account (the caller runs it through the pipeline).
 */
export function readItem(item: ReportItem, reading: ReportReading): { outcome: ReportOutcome; account?: Account } {
  const { account, warnings, diagnostics } = readReportItem(item.file, reading.read);
  if (!account || !item.newest || !selects(reading.accounts, account.id)) return { outcome: { warnings, diagnostics } };
  const evaluated: EvaluatedAccount = {
    id: account.id,
    reportGeneratedTime: account.reportGeneratedTime,
    ...(account.source ? { source: account.source } : {}),
  };
  return { outcome: { warnings, diagnostics, evaluated: reading.keepAccounts ? account : evaluated }, account };
}
