import type { AccountResult, Finding, ScanResult } from '../../model/index.js';
import { escapeXml as x } from './escape.js';
import type { FormatterEntry } from './types.js';

/**
 * JUnit XML for CI systems that show test reports: one test suite per account,
 * one failing test case per open finding, a skipped one per waived finding, a
 * passing case for a clean account, and an error for an account that could not
 * be scanned.
 */
export function formatJunit(result: ScanResult): string {
  const suites = result.accounts.map((account) => suite(account, result.findings.filter((f) => f.accountId === account.id)));
  const tests = suites.reduce((n, s) => n + s.tests, 0);
  const failures = suites.reduce((n, s) => n + s.failures, 0);
  const errors = suites.reduce((n, s) => n + s.errors, 0);
  const skipped = suites.reduce((n, s) => n + s.skipped, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="credwarden" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

interface Suite {
  xml: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function suite(account: AccountResult, findings: readonly Finding[]): Suite {
  const name = `${account.id}${account.name ? ` (${account.name})` : ''}`;
  const cases: string[] = [];
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  if (account.status !== 'scanned') {
    const reason = `${account.status}: ${account.reason ?? 'no reason given'}`;
    if (account.status === 'failed') errors++;
    else skipped++;
    const body = account.status === 'failed' ? `<error message="${x(reason)}" type="scan"/>` : `<skipped message="${x(reason)}"/>`;
    cases.push(`    <testcase classname="${x(account.id)}" name="scan account">${body}</testcase>`);
  } else if (findings.length === 0) {
    cases.push(`    <testcase classname="${x(account.id)}" name="all rules pass"/>`);
  }
  for (const f of findings) {
    if (f.status === 'waived') skipped++;
    else failures++;
    cases.push(findingCase(f));
  }
  const counts = `tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}"`;
  const xml = [`  <testsuite name="${x(name)}" ${counts}>`, ...cases, '  </testsuite>'].join('\n');
  return { xml, tests: cases.length, failures, errors, skipped };
}

function findingCase(f: Finding): string {
  const name = `${f.ruleId}: ${f.principal.name}${f.credential ? ` ${f.credential}` : ''}`;
  const open = `    <testcase classname="${x(`${f.accountId}.${f.principal.name}`)}" name="${x(name)}">`;
  if (f.status === 'waived') {
    return `${open}<skipped message="${x(`waived: ${f.waiver?.reason ?? ''} (expires ${f.waiver?.expires ?? '?'})`)}"/></testcase>`;
  }
  const detail = [f.message, `principal: ${f.principal.arn}`, `severity: ${f.severity}`, `remediation: ${f.remediation.procedure}`, `fingerprint: ${f.fingerprint}`].join('\n');
  return `${open}\n      <failure message="${x(f.message)}" type="${f.severity}">${x(detail)}</failure>\n    </testcase>`;
}

/** JUnit XML for CI test report viewers. */
export const junitFormatter: FormatterEntry = {
  name: 'junit',
  description: 'JUnit XML: one failing test case per open finding',
  extension: 'xml',
  format: formatJunit,
};
