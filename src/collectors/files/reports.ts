import { readdirSync, statSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Account, Diagnostic, Snapshot } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import { parseCredentialReport } from '../../core/report/parse.js';
import { formatTimestamp, parseTimestamp } from '../../core/util/time.js';
import { INPUT_LIMITS, matchInInputFile, readInputFile } from './input.js';

/** A snapshot read from saved reports, plus non-fatal warnings. */
export interface FileCollection {
  snapshot: Snapshot;
  warnings: Diagnostic[];
}

// The report time in a file name, in the forms that tools write it:
// - `2016-11-25T143042Z` (as in AWS-derived fixture names) or `2016-11-25T14:30:42Z`;
// - the AWS CLI's GeneratedTime, `2016-11-25T14:30:42+00:00` (docs/aws-setup.md names files so);
// - the IAM console's download, `status_reports_2016-11-25T14_30_42+01_00.csv`, where `_`
//   stands for `:` (and for `-` in some browsers' offsets).
// Hours, minutes and seconds are joined by `:`, `_`, `-` or nothing; the zone is `Z` or an offset.
const TIME_IN_NAME = /(\d{4}-\d{2}-\d{2})[T_ ](\d{2})[:_-]?(\d{2})[:_-]?(\d{2})(?:[.,]\d+)?(Z|[+-]\d{2}[:_]?\d{2})(?![\d])/i;
// `123456789012-payments-prod…csv`: a leading account id, then the account name.
const ID_AND_NAME = /^(\d{12})-([^.]+)/;

/** Lists the CSV files under the given files and folders (recursively), sorted. */
export function listReportFiles(paths: readonly string[]): string[] {
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  const walk = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        const child = join(path, name);
        if (statSync(child).isDirectory() || name.toLowerCase().endsWith('.csv')) walk(child);
      }
    } else files.push(path);
  };
  for (const path of paths) {
    if (!existsSync(path)) diagnostics.push({ severity: 'error', file: path, message: 'no such file or folder' });
    else walk(path);
  }
  if (diagnostics.length > 0) throw new InputError(diagnostics, 'cannot read --from');
  if (files.length === 0)
    throw new InputError([{ severity: 'error', file: paths.join(', '), message: 'no credential report (*.csv) found' }]);
  return files;
}

/** A saved credential report's text: a regular file of at most INPUT_LIMITS.report bytes. @throws InputError */
function readReportText(file: string): string {
  return readInputFile(file, 'credential report', file, { maxBytes: INPUT_LIMITS.report });
}

/**
 * Reads one saved credential report into an account. The account id comes from the
 * ARNs; the report time from a timestamp in the file name (`…2024-06-01T120000Z.csv`, the AWS
 * CLI's `…2024-06-01T12:00:00+00:00.csv` or the IAM console's `status_reports_2024-06-01T12_00_00+00_00.csv`),
 * else the file's modification time (with a warning: prefer --as-of for repeatable results).
 */
export function readReportFile(file: string, warnings: Diagnostic[], options: ReadOptions = {}): Account {
  const report = parseCredentialReport(readReportText(file), file, { strictNames: options.strictNames === true });
  warnings.push(...report.warnings);
  const name = basename(file);
  const idAndName = ID_AND_NAME.exec(name);
  return {
    id: report.accountId,
    ...(idAndName && idAndName[1] === report.accountId ? { name: idAndName[2] } : {}),
    partition: report.partition,
    reportGeneratedTime: reportTime(file, warnings, options),
    source: file,
    principals: report.principals,
  };
}

/** How saved reports are read. */
export interface ReadOptions {
  /** --as-of was given: a report without a time in its name needs no warning (ages do not use it). */
  asOfGiven?: boolean;
  /** --strict-names: a row whose user name or path IAM could not have written refuses the report. */
  strictNames?: boolean;
}

function reportTime(file: string, warnings: Diagnostic[], options: ReadOptions): string {
  const match = TIME_IN_NAME.exec(basename(file));
  if (match) {
    const local = `${match[1]}T${match[2]}:${match[3]}:${match[4]}Z`;
    const offsetMinutes = zoneOffsetMinutes(match[5] as string);
    // Date.parse would roll 2026-02-31 over to March, and 25:00 is no time at all.
    const parsed = parseTimestamp(local);
    if (Number.isNaN(parsed) || offsetMinutes === undefined) {
      throw new InputError([
        {
          severity: 'error',
          file,
          message: `the report time in the file name (${match[0]}) is not a real date and time`,
          suggestion: 'name the file …YYYY-MM-DDTHHMMSSZ.csv (or with the time as the AWS CLI prints it) with a valid date',
        },
      ]);
    }
    return formatTimestamp(parsed - offsetMinutes * 60_000);
  }
  if (!options.asOfGiven)
    warnings.push({
      severity: 'warning',
      file,
      message: 'no report time in the file name; using the file modification time',
      suggestion: 'name the file …YYYY-MM-DDTHHMMSSZ.csv or pass --as-of',
    });
  return formatTimestamp(statSync(file).mtime.getTime());
}

/** Minutes east of UTC of `Z` or `+01:00` / `+0100` / `-05_30`; undefined when out of range. */
function zoneOffsetMinutes(zone: string): number | undefined {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.replace(/[:_]/, '');
  const hours = Number(digits.slice(1, 3));
  const minutes = Number(digits.slice(3, 5));
  if (hours > 14 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * Reads saved credential reports (files or folders) into a snapshot. When several
 * reports cover one account, the newest is used and the others are reported.
 * @throws InputError listing the problems of every bad file
 */
export function collectFromFiles(paths: readonly string[], options: ReadOptions = {}): FileCollection {
  const warnings: Diagnostic[] = [];
  const diagnostics: Diagnostic[] = [];
  const byAccount = new Map<string, Account>();
  for (const file of listReportFiles(paths)) {
    let account: Account;
    try {
      account = readReportFile(file, warnings, options);
    } catch (error) {
      if (error instanceof InputError) diagnostics.push(...error.diagnostics);
      else diagnostics.push({ severity: 'error', file, message: (error as Error).message });
      continue;
    }
    const existing = byAccount.get(account.id);
    if (!existing || Date.parse(existing.reportGeneratedTime) < Date.parse(account.reportGeneratedTime)) byAccount.set(account.id, account);
    if (existing) {
      const older = byAccount.get(account.id) === account ? existing : account;
      warnings.push({
        severity: 'warning',
        file: older.source ?? file,
        message: `a newer report of account ${account.id} is used instead of this one`,
      });
    }
  }
  if (diagnostics.length > 0) throw new InputError(diagnostics, 'invalid credential reports');
  const accounts = [...byAccount.values()].sort((a, b) => a.id.localeCompare(b.id));
  return { snapshot: { schemaVersion: 1, accounts }, warnings };
}

/** Saved reports read one account at a time: see {@link streamReportFiles}. */
export interface ReportStream {
  /** Ids of the accounts that {@link ReportStream.accounts} yields. */
  readonly accountIds: ReadonlySet<string>;
  /** Warnings, complete once the accounts have all been read. */
  readonly warnings: Diagnostic[];
  /** The newest report of each account, in account-id order, parsed when asked for. */
  accounts(): Generator<Account>;
  /** After the accounts: @throws InputError listing the problems of every bad file. */
  finish(): void;
}

// The account of a report without parsing it: the first principal ARN (user names cannot hold ':').
const FIRST_ARN = /arn:[\w-]+:iam::(\d{12}):(?:root|user\/)/;

/** How much of a report is read to find its account: a real report's first ARN is on its second line. */
const PEEK_BYTES = 64 * 1024;

/** One saved report a scan reads, in the order it reads them. */
export interface ReportItem {
  /** Its place in that order: what reading it gives (warnings, errors) is reported in this order. */
  index: number;
  file: string;
  /** The newest report's account as the first pass found it (its first ARN); undefined when it names none. */
  accountId?: string;
  /** The newest report of its account (evaluated); false: an older one, only checked. */
  newest: boolean;
  /** Its size when it was found (to share the reports out by work). */
  bytes: number;
}

/** The saved reports of a scan, found and ordered but not parsed (see {@link planReportFiles}). */
export interface ReportPlan {
  /** The newest report of each account in account-id order, then the older ones. */
  items: ReportItem[];
  /** The accounts of the newest reports. */
  accountIds: ReadonlySet<string>;
  /** Warnings so far: older reports of an account. */
  warnings: Diagnostic[];
  /** Files that could not be read or named a bad time. */
  diagnostics: Diagnostic[];
}

/** What reading one saved report gave: its account (unless it is bad), its warnings and its errors. */
export interface ReportRead {
  account?: Account;
  warnings: Diagnostic[];
  diagnostics: Diagnostic[];
}

/** A read's failure as diagnostics: an InputError's own, or one naming the file. */
function diagnosticsOf(error: unknown, file: string): Diagnostic[] {
  if (error instanceof InputError) return [...error.diagnostics];
  return [{ severity: 'error', file, message: (error as Error).message }];
}

/**
 * A report's account, found without parsing it: the first principal ARN, looked for in the file's
 * first {@link PEEK_BYTES} (the whole file when they hold none). A match there is the file's
 * first: the pattern cannot match inside another of its matches.
 */
function accountKeyOf(file: string): string | undefined {
  const head = matchInInputFile(file, 'credential report', file, FIRST_ARN, { peekBytes: PEEK_BYTES });
  return (head === undefined ? FIRST_ARN.exec(readReportText(file)) : head)?.[1];
}

/**
 * The first pass over saved reports (files or folders): each file's account (its first ARN) and
 * report time, without parsing it, so the reports can then be parsed one at a time, here or in
 * worker threads ({@link readReportItem}). Orders them as {@link collectFromFiles} reads them:
 * the newest report of each account by account id, then the older ones (still checked).
 */
export function planReportFiles(paths: readonly string[], options: ReadOptions = {}): ReportPlan {
  const warnings: Diagnostic[] = [];
  const diagnostics: Diagnostic[] = [];
  const newest = new Map<string, { file: string; time: number }>();
  const others: string[] = [];
  const sizes = new Map<string, number>();
  for (const file of listReportFiles(paths)) {
    let key: string;
    let time: number;
    try {
      key = accountKeyOf(file) ?? `\u0000${file}`;
      sizes.set(file, statSync(file).size);
      // Time warnings are given when the file is read, once.
      time = Date.parse(reportTime(file, [], options));
    } catch (error) {
      diagnostics.push(...diagnosticsOf(error, file));
      continue;
    }
    const seen = newest.get(key);
    if (!seen || seen.time < time) newest.set(key, { file, time });
    if (seen) {
      const older = newest.get(key)?.file === file ? seen.file : file;
      others.push(older);
      warnings.push({ severity: 'warning', file: older, message: `a newer report of account ${key} is used instead of this one` });
    }
  }
  const keyOf = (key: string) => (key.startsWith('\u0000') ? {} : { accountId: key });
  const files = [
    ...[...newest.keys()].sort().map((key) => ({ file: newest.get(key)!.file, ...keyOf(key), newest: true })),
    // Reports replaced by newer ones are not evaluated, but a bad one is still an error.
    ...others.map((file) => ({ file, newest: false })),
  ];
  return {
    items: files.map((f, index) => ({ index, ...f, bytes: sizes.get(f.file) ?? 0 })),
    accountIds: new Set([...newest.keys()].filter((key) => !key.startsWith('\u0000'))),
    warnings,
    diagnostics,
  };
}

/** Reads and parses one saved report, catching its errors: the same on any thread. */
export function readReportItem(file: string, options: ReadOptions = {}): ReportRead {
  const warnings: Diagnostic[] = [];
  try {
    return { account: readReportFile(file, warnings, options), warnings, diagnostics: [] };
  } catch (error) {
    return { warnings, diagnostics: diagnosticsOf(error, file) };
  }
}

/**
 * The accounts of saved credential reports (files or folders), as {@link collectFromFiles} reads
 * them (newest report per account, the same warnings and errors), but parsed one at a time as
 * the caller consumes them, so a scan holds one report in memory, not the organisation. A first
 * pass ({@link planReportFiles}) only finds each file's account and report time; every file is
 * still validated, and bad files are reported all at once by `finish()`.
 */
export function streamReportFiles(paths: readonly string[], options: ReadOptions = {}): ReportStream {
  const plan = planReportFiles(paths, options);
  const { warnings, diagnostics } = plan;
  const read = (file: string): Account | undefined => {
    const outcome = readReportItem(file, options);
    warnings.push(...outcome.warnings);
    diagnostics.push(...outcome.diagnostics);
    return outcome.account;
  };
  return {
    accountIds: plan.accountIds,
    warnings,
    *accounts() {
      for (const item of plan.items) {
        const account = read(item.file);
        if (account && item.newest) yield account;
      }
    },
    finish() {
      if (diagnostics.length > 0) throw new InputError(diagnostics, 'invalid credential reports');
    },
  };
}
