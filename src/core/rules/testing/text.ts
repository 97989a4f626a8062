import { formatDiagnostic, type SourceLocation } from '../../../model/index.js';
import { visibleControls } from '../../util/escape.js';
import type { RulesTestReport, RuleTestResult } from './index.js';
import type { CaseResult, FindingDetail } from './run.js';

/**
 * The human report of `credwarden rules test`: one line per rule, and for each failing case
 * its file and line, every finding expected and not reported or reported and not expected,
 * with the message and the evidence, then a summary line.
 */
export function formatRulesTestText(report: RulesTestReport): string {
  const lines = report.results.flatMap(ruleLines);
  const coverage = report.results.flatMap((r) => r.coverage);
  lines.push(...coverage.map((d) => printable(formatDiagnostic(d))));
  lines.push('', summaryLine(report));
  return `${lines.join('\n')}\n`;
}

/** `3 rules, 12 cases: 11 passed, 1 failed; 1 warning`. */
export function summaryLine(report: RulesTestReport): string {
  const cases = report.results.flatMap((r) => r.cases);
  const failed = cases.filter((c) => !c.passed).length;
  const coverage = report.results.flatMap((r) => r.coverage);
  const errors = coverage.filter((d) => d.severity === 'error').length;
  const warnings = coverage.length - errors;
  const problems = [errors > 0 ? plural(errors, 'error') : '', warnings > 0 ? plural(warnings, 'warning') : ''].filter(Boolean);
  const counts = `${plural(report.results.length, 'rule')}, ${plural(cases.length, 'case')}: ${cases.length - failed} passed, ${failed} failed`;
  return problems.length > 0 ? `${counts}; ${problems.join(', ')}` : counts;
}

function ruleLines(result: RuleTestResult): string[] {
  const failed = result.cases.filter((c) => !c.passed);
  if (result.cases.length === 0) return [];
  if (failed.length === 0) return [`ok   ${result.ruleId}: ${plural(result.cases.length, 'case')} passed`];
  return [`FAIL ${result.ruleId}: ${failed.length} of ${plural(result.cases.length, 'case')} failed`, ...failed.flatMap(caseLines)];
}

function caseLines(result: CaseResult): string[] {
  const { case: testCase } = result;
  return [
    `  ${where(testCase.location)}: ${testCase.kind} case '${printable(testCase.name)}' failed`,
    ...result.missing.flatMap((d) => detailLines(d, `expected ${subject(d)}, not reported`)),
    ...result.unexpected.flatMap((d) => detailLines(d, `unexpected ${subject(d)}`)),
  ];
}

function detailLines(detail: FindingDetail, headline: string): string[] {
  const lines = [`    ${headline}${detail.location ? ` (expected at ${where(detail.location)})` : ''}`];
  if (detail.message !== undefined) lines.push(`      message:  ${printable(detail.message)}`);
  if (detail.evidence !== undefined) lines.push(`      evidence: ${formatEvidence(detail.evidence)}`);
  if (detail.note !== undefined) lines.push(`      note:     ${printable(detail.note)}`);
  return lines;
}

/** `principal bob, access_key_1` or `principal bob`. */
export function subject(detail: Pick<FindingDetail, 'principal' | 'credential'>): string {
  return `finding for ${printable(detail.principal)}${detail.credential ? ` ${detail.credential}` : ''}`;
}

/** `key.active=true, key.ageDays=91.5`: ages to two decimals, strings quoted. */
export function formatEvidence(evidence: Record<string, unknown>): string {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return '(the rule reads no field of this subject)';
  return entries.map(([path, value]) => `${path}=${printable(valueText(value))}`).join(', ');
}

function valueText(value: unknown): string {
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Math.round(value * 100) / 100);
  return JSON.stringify(value ?? null);
}

/** `file:line`, the form editors and CI logs link. */
export function where(location: SourceLocation): string {
  return [location.file, location.line].filter((x) => x !== undefined).join(':');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * Case names, user names and messages come from files: control and bidirectional characters
 * (line feeds included) are shown escaped so they cannot rewrite the terminal or the log.
 */
export function printable(text: string): string {
  return visibleControls(text);
}
