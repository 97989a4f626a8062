import type { AccountResult, Finding, RuleSummary, ScanResult, Severity } from '../../model/index.js';
import { FRAMEWORKS, SEVERITIES } from '../../model/index.js';
import { plansForReport, renderPlansMarkdown } from '../remediation/index.js';
import { waiverOutcomes, type WaiverOutcome } from '../waivers/outcome.js';
import { escapeMarkdownCell as cell, escapeMarkdownInline as inline, markdownCode as code } from './escape.js';
import type { FormatContext, FormatterEntry } from './types.js';
import { notEvaluatedNote, STATUS_LABEL } from './status.js';

const FRAMEWORK_LABEL: Record<(typeof FRAMEWORKS)[number], string> = {
  'cis-aws-3.0': 'CIS 3.0',
  'cis-aws-5.0': 'CIS 5.0',
  'aws-security-hub': 'Security Hub',
  'aws-config': 'AWS Config',
};

/** A Markdown table from a header row and data rows whose cells are already escaped. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}

/**
 * The auditor's report: scan metadata and coverage, summaries by severity, rule
 * and account, findings per account, remediation plans, and waivers. Every value
 * from a credential report is escaped, so names cannot break tables or inject HTML.
 */
export function formatMarkdown(result: ScanResult, context: FormatContext): string {
  const sections = [
    header(result, context),
    coverage(result.accounts),
    summary(result),
    findings(result),
    resolved(result),
    plans(result),
    waivers(waiverOutcomes(result)),
    warnings(result),
  ];
  return `${sections.filter((s) => s.length > 0).map((s) => s.join('\n')).join('\n\n')}\n`;
}

function header(result: ScanResult, context: FormatContext): string[] {
  const { summary: s } = result;
  const asOf = result.asOf ?? 'each account at its report generation time';
  const findingsLine = `${s.open} open, ${s.waived} waived${s.new !== undefined ? `, ${s.new} new since the baseline` : ''}`;
  return [
    '# credwarden: IAM credential hygiene report',
    '',
    ...table(
      ['Item', 'Value'],
      [
        ['Tool', cell(`credwarden ${context.toolVersion}`)],
        ['Rule pack', cell(result.pack)],
        ['Rules hash (effective rules and parameters)', code(result.rulesHash)],
        ['Evaluated as of', cell(asOf)],
        ['Findings', cell(findingsLine)],
        ['Accounts', cell(`${s.accounts.scanned} scanned, ${s.accounts.failed} failed, ${s.accounts.skipped} skipped`)],
      ],
    ),
  ];
}

function coverage(accounts: readonly AccountResult[]): string[] {
  const rows = accounts.map((a) => [
    code(a.id),
    cell(a.name ?? ''),
    cell(a.ouPath ?? ''),
    a.status,
    cell(a.reportGeneratedTime ?? ''),
    cell(a.asOf ?? ''),
    a.principals !== undefined ? String(a.principals) : '',
    cell(a.reason ?? ''),
  ]);
  return ['## Coverage', '', ...table(['Account', 'Name', 'OU', 'Status', 'Report generated', 'Evaluated as of', 'Principals', 'Reason'], rows)];
}

function summary(result: ScanResult): string[] {
  const waivedBy = (s: Severity) => result.findings.filter((f) => f.status === 'waived' && f.severity === s).length;
  const bySeverity = SEVERITIES.map((s) => [s, String(result.summary.bySeverity[s]), String(waivedBy(s))]);
  return [
    '## Summary',
    '',
    '### By severity',
    '',
    ...table(['Severity', 'Open', 'Waived'], bySeverity),
    '',
    '### By rule',
    '',
    ...table(['Rule', 'Title', 'Severity', 'Status', 'Open', 'Waived', 'Not evaluated', ...FRAMEWORKS.map((f) => FRAMEWORK_LABEL[f])], ruleRows(result)),
    '',
    '### By account',
    '',
    ...table(['Account', 'Name', ...SEVERITIES.map(capitalise), 'Waived'], accountRows(result)),
  ];
}

function ruleRows(result: ScanResult): string[][] {
  const rules: RuleSummary[] = result.rules ?? [];
  const known = new Set(rules.map((r) => r.id));
  // Findings of rules not listed (e.g. a result merged from older scans) still get a row.
  const extra = [...new Set(result.findings.map((f) => f.ruleId))].filter((id) => !known.has(id));
  const rows: Pick<RuleSummary, 'id' | 'title' | 'severity' | 'frameworks' | 'status' | 'notEvaluated'>[] = [...rules];
  for (const id of extra) {
    const f = result.findings.find((x) => x.ruleId === id) as Finding;
    rows.push({ id, title: f.title, severity: f.severity, frameworks: f.frameworks, status: 'failed', notEvaluated: [] });
  }
  return rows.map((r) => {
    const of = result.findings.filter((f) => f.ruleId === r.id);
    return [
      code(r.id),
      cell(r.title),
      r.severity,
      STATUS_LABEL[r.status],
      String(of.filter((f) => f.status === 'open').length),
      String(of.filter((f) => f.status === 'waived').length),
      cell(notEvaluatedNote(r) || '—'),
      ...FRAMEWORKS.map((fw) => cell(r.frameworks[fw].join(', ') || '—')),
    ];
  });
}

function accountRows(result: ScanResult): string[][] {
  return result.accounts.map((a) => {
    const of = result.findings.filter((f) => f.accountId === a.id);
    const open = (s: Severity) => String(of.filter((f) => f.status === 'open' && f.severity === s).length);
    return [code(a.id), cell(a.name ?? ''), ...SEVERITIES.map(open), String(of.filter((f) => f.status === 'waived').length)];
  });
}

function findings(result: ScanResult): string[] {
  const out = ['## Findings'];
  if (result.findings.length === 0) return [...out, '', 'No findings.'];
  const withBaseline = result.findings.some((f) => f.baseline !== undefined);
  for (const account of result.accounts) {
    const of = result.findings.filter((f) => f.accountId === account.id);
    if (of.length === 0) continue;
    out.push('', `### ${inline(account.id)}${account.name ? ` ${inline(account.name)}` : ''}`, '');
    out.push(...findingTable(of, withBaseline));
  }
  const orphans = result.findings.filter((f) => !result.accounts.some((a) => a.id === f.accountId));
  if (orphans.length > 0) out.push('', '### Other accounts', '', ...findingTable(orphans, withBaseline));
  return out;
}

function findingTable(list: readonly Finding[], withBaseline: boolean): string[] {
  const header = ['Severity', 'Principal', 'Credential', 'Rule', 'Message', 'Status', ...(withBaseline ? ['Baseline'] : [])];
  return table(header, list.map((f) => findingRow(f, withBaseline)));
}

function findingRow(f: Finding, withBaseline: boolean): string[] {
  const status = f.status === 'waived' ? `waived: ${cell(String(f.waiver?.reason ?? ''))} (until ${cell(String(f.waiver?.expires ?? '?'))})` : 'open';
  return [
    f.severity,
    `${cell(f.principal.name)}<br>${code(f.principal.arn)}`,
    f.credential ?? '—',
    code(f.ruleId),
    cell(f.message),
    status,
    ...(withBaseline ? [f.baseline ?? ''] : []),
  ];
}

function resolved(result: ScanResult): string[] {
  if (!result.resolved) return [];
  const out = ['## Resolved since the baseline', ''];
  if (result.resolved.length === 0) return [...out, 'Nothing was resolved since the baseline.'];
  const rows = result.resolved.map((f) => [f.severity, code(f.accountId), `${cell(f.principal.name)}<br>${code(f.principal.arn)}`, f.credential ?? '—', code(f.ruleId), cell(f.message)]);
  return [...out, ...table(['Severity', 'Account', 'Principal', 'Credential', 'Rule', 'Message (baseline)'], rows)];
}

function plans(result: ScanResult): string[] {
  if (!result.findings.some((f) => f.status === 'open')) return [];
  // Prefer the plans the result carries (they saw the snapshot and any procedure overrides).
  const set = plansForReport(result);
  return ['## Remediation plans', '', `> ${inline(set.header)}`, '', renderPlansMarkdown(set, { headingLevel: 2, omitTitle: true }).trimEnd()];
}

function waivers(outcomes: readonly WaiverOutcome[]): string[] {
  if (outcomes.length === 0) return [];
  const rows = (state: WaiverOutcome['state']) =>
    outcomes
      .filter((w) => w.state === state)
      .map((w) => [
        code(w.rule),
        code(w.account),
        code(w.principal),
        cell(w.credential ?? 'any'),
        cell(w.reason),
        cell(w.approvedBy ?? ''),
        cell(w.expires),
        String(w.matched),
        cell(w.source ?? ''),
      ]);
  const header = ['Rule', 'Account', 'Principal', 'Credential', 'Reason', 'Approved by', 'Expires', 'Findings matched', 'Source'];
  const part = (title: string, state: WaiverOutcome['state'], empty: string) => {
    const r = rows(state);
    return ['', `### ${title}`, '', ...(r.length > 0 ? table(header, r) : [empty])];
  };
  return [
    '## Waivers',
    ...part('In force', 'active', 'No waiver in force.'),
    ...part('Expired (no longer applied)', 'expired', 'No expired waiver.'),
    ...part('Stale (matched no finding)', 'stale', 'No stale waiver.'),
  ];
}

function warnings(result: ScanResult): string[] {
  if (!result.warnings || result.warnings.length === 0) return [];
  return ['## Warnings', '', ...result.warnings.map((w) => `- ${inline(w)}`)];
}

function capitalise(text: string): string {
  return `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;
}

/** The auditor's Markdown report. */
export const markdownFormatter: FormatterEntry = {
  name: 'markdown',
  description: "auditor's report: metadata, coverage, summaries, findings, plans, waivers",
  extension: 'md',
  format: formatMarkdown,
};
