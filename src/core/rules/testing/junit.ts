import { escapeXml as x } from '../../util/escape.js';
import { add, countAttributes, type Counts } from '../../format/junit.js';
import { formatDiagnostic, type Diagnostic } from '../../../model/index.js';
import type { RulesTestReport, RuleTestResult } from './index.js';
import type { CaseResult, FindingDetail } from './run.js';
import { formatEvidence, subject, where } from './text.js';

/**
 * JUnit XML of `credwarden rules test`, for CI test views: one test suite per rule, one
 * test case per table case (with the table's file and line), and one for the rule's
 * coverage (skipped when it is only a warning, failed in strict mode).
 */
export function formatRulesTestJunit(report: RulesTestReport): string {
  const suites = report.results.map(suite);
  const total = suites.map((s) => s.counts).reduce(add, { tests: 0, failures: 0, errors: 0, skipped: 0 });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="credwarden rules test" ${countAttributes(total)}>`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

function suite(result: RuleTestResult): { xml: string; counts: Counts } {
  const cases = result.cases.map((c) => caseXml(result, c));
  const coverage = result.coverage.map((d) => coverageXml(result, d));
  const counts: Counts = {
    tests: cases.length + coverage.length,
    failures: result.cases.filter((c) => !c.passed).length + result.coverage.filter((d) => d.severity === 'error').length,
    errors: 0,
    skipped: result.coverage.filter((d) => d.severity === 'warning').length,
  };
  const xml = [
    `  <testsuite name="${x(result.ruleId)}" file="${x(result.tableFile)}" ${countAttributes(counts)}>`,
    ...cases,
    ...coverage,
    '  </testsuite>',
  ].join('\n');
  return { xml, counts };
}

function caseXml(result: RuleTestResult, outcome: CaseResult): string {
  const { case: testCase } = outcome;
  const line = testCase.location.line !== undefined ? ` line="${testCase.location.line}"` : '';
  const open = `    <testcase classname="${x(result.ruleId)}" name="${x(`${testCase.kind}: ${testCase.name}`)}" file="${x(testCase.location.file)}"${line}`;
  if (outcome.passed) return `${open}/>`;
  const details = [
    ...outcome.missing.map((d) => detail(d, 'expected, not reported')),
    ...outcome.unexpected.map((d) => detail(d, 'unexpected')),
  ];
  const message = `${where(testCase.location)}: ${details.map((d) => d.headline).join('; ')}`;
  return `${open}>\n      <failure message="${x(message)}" type="rule-case">${x(details.map((d) => d.body).join('\n'))}</failure>\n    </testcase>`;
}

function detail(finding: FindingDetail, what: string): { headline: string; body: string } {
  const headline = `${what}: ${subject(finding)}`;
  const body = [
    `${headline}${finding.location ? ` (expected at ${where(finding.location)})` : ''}`,
    ...(finding.message !== undefined ? [`  message:  ${finding.message}`] : []),
    ...(finding.evidence !== undefined ? [`  evidence: ${formatEvidence(finding.evidence)}`] : []),
    ...(finding.note !== undefined ? [`  note:     ${finding.note}`] : []),
  ];
  return { headline, body: body.join('\n') };
}

function coverageXml(result: RuleTestResult, diagnostic: Diagnostic): string {
  const open = `    <testcase classname="${x(result.ruleId)}" name="${x(`coverage: ${diagnostic.message}`)}" file="${x(diagnostic.file)}">`;
  const text = formatDiagnostic(diagnostic);
  const body =
    diagnostic.severity === 'error'
      ? `<failure message="${x(diagnostic.message)}" type="coverage">${x(text)}</failure>`
      : `<skipped message="${x(text)}"/>`;
  return `${open}${body}</testcase>`;
}
