/**
 * One account's credential report, from its text to the account the pipeline evaluates: parsed,
 * checked against the account, its as-of time decided. Needs no AWS SDK, so it runs on whichever
 * thread processes the account.
 *
 * The collector (./collect.ts) reads the report itself when the report decides further calls
 * (root MFA, the users whose keys and certificates are read, recovery paths). Otherwise, on the
 * collection thread (src/cli/live-worker.ts), it hands the account over as a {@link FetchedAccount}:
 * the report's text and what the collector learnt, which cross to the main thread as one string
 * (cheap to clone) instead of a hundred parsed principals, and {@link finishFetched} makes the
 * same event the collector would have made. Measured (docs/performance.md, "Live collection on
 * its own thread"): the parse was 0.7 s and the clone of the parsed accounts 0.5 s per 1,000
 * accounts of 100 users on the collection thread, the bottleneck of the idle 1,000-account scan.
 */
import type { Account, AccountOutcome, Diagnostic } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import { parseCredentialReport, type ParsedReport } from '../../core/report/parse.js';
import { REPORT_COLUMNS, ROOT_USER_NAME } from '../../core/report/columns.js';
import { asOfOverride } from './as-of.js';
import {
  contextAvailability,
  factsBeforeCalls,
  withAvailability,
  type ContextPlan,
  type FactAvailability,
  type UNKNOWN,
} from './context-plan.js';
import { AccountFailure, describeError } from './errors.js';
import type { AccountEvent, CallCounts } from './collect.js';
import type { ContextMode } from './options.js';
import type { FetchedReport } from './report.js';

/** An account as the organisation lists it: id, and name and OU path when known. */
export type AccountBase = Pick<AccountOutcome, 'id' | 'name' | 'ouPath'>;

/** What the organisation says about an account's root credentials. */
export interface RootManagement {
  /** Whether the organisation manages the root credentials centrally (false for the management account). */
  rootCredentialsManagement: boolean | typeof UNKNOWN;
  rootSessions: boolean | typeof UNKNOWN;
}

/**
 * An account collected up to its credential report, whose report decides no further call: all
 * that {@link finishFetched} needs to make its event, as plain data (it crosses threads).
 */
export interface FetchedAccount {
  base: AccountBase;
  report: FetchedReport;
  /** When the report was fetched (the collector's clock): the as-of check's bound. */
  fetchedAtMs: number;
  /** The partition of an account whose report names none: the caller's. */
  callerPartition: string;
  /** --strict-names: a row IAM could not have written refuses the account. */
  strictNames: boolean;
  context: {
    mode: ContextMode;
    /** The context plan, which makes no call (collect.ts hands over only such accounts). */
    plan: ContextPlan;
    root: RootManagement;
    /** Why the organisation's features are unknown, when they are. */
    organizationUnknown?: string;
  };
}

/** A report read for its account: principals, warnings and as-of; or the rows that refuse it (--strict-names). */
export type CheckedReport = { parsed: ParsedReport; warnings: Diagnostic[]; asOf?: string } | { refused: Diagnostic[] };

function asOfWarning(accountId: string, generatedTime: string, asOf: string): Diagnostic {
  return {
    severity: 'warning',
    file: `credential report of ${accountId}`,
    message: `GeneratedTime ${generatedTime} is older than events the report records; ages are measured from the newest event, ${asOf}`,
    suggestion: 'AWS never does this: check the endpoint (AWS_ENDPOINT_URL) or pass --as-of',
  };
}

/**
 * Parses and checks `report` for account `base`.
 * @throws InputError for a malformed report; AccountFailure for another account's report
 */
export function checkReport(base: AccountBase, report: FetchedReport, fetchedAtMs: number, strictNames: boolean): CheckedReport {
  const parsed = parseCredentialReport(report.csv, `credential report of ${base.id}`);
  if (parsed.principals.length > 0 && parsed.accountId !== base.id) {
    throw new AccountFailure(`the credential report belongs to account ${parsed.accountId}, not ${base.id}`);
  }
  if (strictNames && parsed.tampered.length > 0) return { refused: parsed.tampered };
  const asOf = asOfOverride(report.generatedTime, parsed.principals, fetchedAtMs);
  if (asOf === undefined) return { parsed, warnings: parsed.warnings };
  return { parsed, warnings: [...parsed.warnings, asOfWarning(base.id, report.generatedTime, asOf)], asOf };
}

/** The account of a checked report, with its context facts (before the credential reads add theirs). */
export function reportAccount(
  base: AccountBase,
  checked: Exclude<CheckedReport, { refused: Diagnostic[] }>,
  report: FetchedReport,
  callerPartition: string,
  context: Record<string, unknown>,
  root: RootManagement,
): Account {
  const { parsed, asOf } = checked;
  return {
    ...base,
    partition: parsed.partition || callerPartition,
    reportGeneratedTime: report.generatedTime,
    ...(asOf !== undefined ? { asOf } : {}),
    source: 'aws',
    facts: { ...context, rootCredentialsManagement: root.rootCredentialsManagement, rootSessions: root.rootSessions },
    principals: parsed.principals,
  };
}

/** The event of an account that completed: the account with its fact availability, and the report's warnings. */
export function scannedEvent(
  account: Account,
  calls: CallCounts,
  warnings: Diagnostic[],
  ...availability: FactAvailability[]
): AccountEvent {
  return { type: 'scanned', account: withAvailability(account, ...availability), calls, warnings };
}

/** The header AWS writes, and where the root's MFA is in a row under it. */
const AWS_HEADER = `${REPORT_COLUMNS.join(',')}\n`;
const MFA_ACTIVE = REPORT_COLUMNS.indexOf('mfa_active');

/**
 * Whether the root user of `csv` has MFA, when a glance tells: AWS's header, then the root's row
 * as the first row, without quotes, with AWS's spelling of its MFA flag. The parser then gives
 * that root (the report's first root row) the same flag, or refuses the report whole. Undefined
 * for anything else (the collector then parses the report where the root's MFA decides calls).
 */
export function leadingRootMfa(csv: string): boolean | undefined {
  if (!csv.startsWith(AWS_HEADER)) return undefined;
  const end = csv.indexOf('\n', AWS_HEADER.length);
  const row = csv.slice(AWS_HEADER.length, end < 0 ? csv.length : end);
  if (!row.startsWith(`${ROOT_USER_NAME},`) || row.includes('"') || row.includes('\r')) return undefined;
  const cells = row.split(',');
  if (cells.length !== REPORT_COLUMNS.length) return undefined;
  const mfa = cells[MFA_ACTIVE];
  return mfa === 'true' ? true : mfa === 'false' ? false : undefined;
}

/** A failure reason, without the SDK's internals. */
export function failureReason(error: unknown): string {
  if (error instanceof AccountFailure) return error.message;
  if (error instanceof InputError) {
    const first = error.diagnostics[0];
    const more = error.diagnostics.length > 1 ? ` (and ${error.diagnostics.length - 1} more problems)` : '';
    return `malformed credential report: ${first ? `line ${first.line ?? '?'}: ${first.message}` : error.message}${more}`;
  }
  return describeError(error);
}

/** The event of an account that failed. */
export function failedEvent(base: AccountBase, calls: CallCounts, error: unknown): AccountEvent {
  return { type: 'failed', outcome: { ...base, status: 'failed', reason: failureReason(error) }, calls };
}

/** --strict-names: the account is not evaluated; the scan is refused with the rows (exit 2). */
export function refusedEvent(base: AccountBase, calls: CallCounts, rows: Diagnostic[]): AccountEvent {
  const first = rows[0]?.line;
  const reason = `credential report refused (--strict-names): ${rows.length} row${rows.length === 1 ? '' : 's'} with a name IAM could not have written${first !== undefined ? `, the first at line ${first}` : ''}`;
  return { type: 'failed', outcome: { ...base, status: 'failed', reason }, calls, refused: rows };
}

/**
 * The event the collector would have made of `fetched` had it read the report itself: the
 * scanned account, or a failed one (a malformed report, another account's report), or one
 * refused by --strict-names.
 */
export function finishFetched(fetched: FetchedAccount, calls: CallCounts): AccountEvent {
  const { base, report, context } = fetched;
  try {
    const checked = checkReport(base, report, fetched.fetchedAtMs, fetched.strictNames);
    if ('refused' in checked) return refusedEvent(base, calls, checked.refused);
    const root = checked.parsed.principals.find((p) => p.type === 'root');
    const facts = factsBeforeCalls(root);
    const account = reportAccount(base, checked, report, fetched.callerPartition, facts, context.root);
    const availability = contextAvailability(context.mode, context.plan, account.facts ?? {}, root, context.organizationUnknown);
    return scannedEvent(account, calls, checked.warnings, availability);
  } catch (error) {
    return failedEvent(base, calls, error);
  }
}
