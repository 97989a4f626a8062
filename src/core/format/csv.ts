import { stringify } from 'csv-stringify/sync';
import type { Finding, ScanResult } from '../../model/index.js';
import { FRAMEWORKS } from '../../model/index.js';
import { neutraliseFormula } from './escape.js';
import type { FormatterEntry } from './types.js';

/**
 * The CSV columns, in order. This list is a stable contract (documented in
 * docs/reports.md): new columns are only ever appended.
 */
export const CSV_COLUMNS: readonly { header: string; value: (f: Finding) => string }[] = [
  { header: 'account', value: (f) => f.accountId },
  { header: 'account_name', value: (f) => f.accountName ?? '' },
  { header: 'principal', value: (f) => f.principal.name },
  { header: 'principal_type', value: (f) => f.principal.type },
  { header: 'arn', value: (f) => f.principal.arn },
  { header: 'credential', value: (f) => f.credential ?? '' },
  { header: 'rule', value: (f) => f.ruleId },
  { header: 'severity', value: (f) => f.severity },
  { header: 'status', value: (f) => f.status },
  { header: 'message', value: (f) => f.message },
  { header: 'evidence', value: (f) => evidenceText(f.evidence) },
  ...FRAMEWORKS.map((framework) => ({ header: framework, value: (f: Finding) => f.frameworks[framework].join(' ') })),
  { header: 'remediation', value: (f) => f.remediation.procedure },
  { header: 'waiver_reason', value: (f) => stringField(f.waiver, 'reason') },
  { header: 'waiver_expires', value: (f) => stringField(f.waiver, 'expires') },
  { header: 'baseline', value: (f) => f.baseline ?? '' },
  { header: 'fingerprint', value: (f) => f.fingerprint },
];

/** The evidence as `key=value` pairs separated by `; `, in the rule's order. */
export function evidenceText(evidence: Finding['evidence']): string {
  return Object.entries(evidence)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('; ');
}

function stringField(object: Record<string, unknown> | undefined, key: string): string {
  const value = object?.[key];
  return typeof value === 'string' ? value : '';
}

/**
 * One row per finding (open and waived), RFC 4180 quoting, CRLF line ends, and
 * every cell neutralised against formula injection.
 */
export function formatCsv(result: ScanResult): string {
  const rows = result.findings.map((finding) => CSV_COLUMNS.map((column) => neutraliseFormula(column.value(finding))));
  return stringify([CSV_COLUMNS.map((c) => c.header), ...rows], { record_delimiter: 'windows'});
}

/** Spreadsheet-friendly findings, one row per finding. */
export const csvFormatter: FormatterEntry = {
  name: 'csv',
  description: 'one row per finding for spreadsheets (formula-injection safe)',
  extension: 'csv',
  format: formatCsv,
};
