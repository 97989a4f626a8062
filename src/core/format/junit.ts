import type { AccountResult, Finding, ScanResult } from '../../model/index.js';
import { FRAMEWORKS } from '../../model/index.js';
import {
  controlsFrom,
  countFinding,
  countsState,
  REASONS_SHOWN,
  reasonsText,
  statusDetail,
  type Control,
  type RuleCounts,
} from './controls.js';
import type { RunHeader } from '../pipeline/types.js';
import { STATUS_LABEL } from './status.js';
import { escapeXml as x, guardWorkflowCommands } from '../util/escape.js';
import { defineFormatter, type FormatterEntry, type ReportSink } from './types.js';

/** Test counts of one suite, written in its opening tag and summed for <testsuites>. */
export interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/**
 * JUnit XML for CI systems that show test reports: a `controls` suite with one
 * test case per rule (failed, passed, or skipped when not evaluated everywhere),
 * then one test suite per account: one failing test case per open finding, a
 * skipped one per waived finding, a passing case for a clean account, and an
 * error for an account that could not be scanned. Written suite by suite.
 */
export function formatJunit(result: ScanResult): Iterable<string> {
  return junitFormatter.format(result, { toolVersion: result.tool.version, color: false });
}

/** One suite per account as it comes; the opening tag with the totals and the controls suite at the end. */
function openJunit(header: RunHeader): ReportSink {
  const counts: RuleCounts = new Map();
  let total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  return {
    account(slice) {
      if (!slice.account) return [];
      for (const f of slice.findings) countFinding(counts, f);
      total = add(total, accountCounts(slice.account, slice.findings));
      return guardWorkflowCommands([accountSuite(slice.account, slice.findings)]);
    },
    end(tallies) {
      const matrix = controlsFrom(tallies.rules, counts);
      return {
        head: guardWorkflowCommands([
          '<?xml version="1.0" encoding="UTF-8"?>\n',
          `<testsuites name="credwarden" ${countAttributes(add(controlCounts(matrix), total))}>\n`,
          controlSuite(matrix, header.notes),
        ]),
        tail: ['</testsuites>\n'],
      };
    },
    state: {
      save: () => ({ counts: countsState(counts).save(), total }),
      absorb(saved) {
        const other = saved as { counts: unknown; total: Counts };
        countsState(counts).absorb(other.counts);
        total = add(total, other.total);
      },
    },
  };
}

/** The sum of two suites' counts. */
export function add(a: Counts, b: Counts): Counts {
  return { tests: a.tests + b.tests, failures: a.failures + b.failures, errors: a.errors + b.errors, skipped: a.skipped + b.skipped };
}

/** The count attributes of a <testsuite> or <testsuites> tag. */
export function countAttributes(c: Counts): string {
  return `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}"`;
}

function controlCounts(matrix: readonly Control[]): Counts {
  const skipped = matrix.filter((c) => c.status !== 'passed' && c.status !== 'failed').length;
  return { tests: matrix.length, failures: matrix.filter((c) => c.status === 'failed').length, errors: 0, skipped };
}

/** One test case per rule: its status over every account; the result's scope notes as suite properties. */
function controlSuite(matrix: readonly Control[], notes: readonly string[]): string {
  const cases = matrix.map((c) => {
    const ids = FRAMEWORKS.flatMap((fw) => c.frameworks[fw].map((id) => `${fw} ${id}`)).join(', ');
    const open = `    <testcase classname="controls" name="${x(`${c.id}${ids ? ` (${ids})` : ''}`)}">`;
    if (c.status === 'passed') return `${open}</testcase>`;
    if (c.status === 'failed')
      return `${open}<failure message="${x(`${c.open} open finding${c.open === 1 ? '' : 's'}`)}" type="${c.severity}"/></testcase>`;
    // accepted and deviates are never passes: skipped, with what the status means here.
    const why = [statusDetail(c), reasonsText(c, REASONS_SHOWN)].filter((t) => t !== '').join('; ') || 'evaluated in no account';
    return `${open}<skipped message="${x(`${STATUS_LABEL[c.status]}: ${why}`)}"/></testcase>`;
  });
  const properties =
    notes.length > 0 ? ['    <properties>', ...notes.map((n) => `      <property name="note" value="${x(n)}"/>`), '    </properties>'] : [];
  return [`  <testsuite name="controls" ${countAttributes(controlCounts(matrix))}>`, ...properties, ...cases, '  </testsuite>', ''].join(
    '\n',
  );
}

function accountCounts(account: AccountResult, findings: readonly Finding[]): Counts {
  const waived = findings.filter((f) => f.status === 'waived').length;
  const statusCase = account.status !== 'scanned' || findings.length === 0 ? 1 : 0;
  return {
    tests: findings.length + statusCase,
    failures: findings.length - waived,
    errors: account.status === 'failed' ? 1 : 0,
    skipped: waived + (account.status === 'skipped' ? 1 : 0),
  };
}

function accountSuite(account: AccountResult, findings: readonly Finding[]): string {
  const name = `${account.id}${account.name ? ` (${account.name})` : ''}`;
  const cases: string[] = [];
  if (account.status !== 'scanned') {
    const reason = `${account.status}: ${account.reason ?? 'no reason given'}`;
    const body = account.status === 'failed' ? `<error message="${x(reason)}" type="scan"/>` : `<skipped message="${x(reason)}"/>`;
    cases.push(`    <testcase classname="${x(account.id)}" name="scan account">${body}</testcase>`);
  } else if (findings.length === 0) {
    cases.push(`    <testcase classname="${x(account.id)}" name="all rules pass"/>`);
  }
  for (const f of findings) cases.push(findingCase(f));
  return [`  <testsuite name="${x(name)}" ${countAttributes(accountCounts(account, findings))}>`, ...cases, '  </testsuite>', ''].join(
    '\n',
  );
}

function findingCase(f: Finding): string {
  const name = `${f.ruleId}: ${f.principal.name}${f.credential ? ` ${f.credential}` : ''}`;
  const open = `    <testcase classname="${x(`${f.accountId}.${f.principal.name}`)}" name="${x(name)}">`;
  if (f.status === 'waived') {
    return `${open}<skipped message="${x(`waived: ${f.waiver?.reason ?? ''} (expires ${f.waiver?.expires ?? '?'})`)}"/></testcase>`;
  }
  // Each value is escaped on its own: a line break inside one is shown as \n, so every line starts with our text.
  const detail = [
    f.message,
    `principal: ${f.principal.arn}`,
    `severity: ${f.severity}`,
    `remediation: ${f.remediation.procedure}`,
    `fingerprint: ${f.fingerprint}`,
  ]
    .map(x)
    .join('\n');
  return `${open}\n      <failure message="${x(f.message)}" type="${f.severity}">${detail}</failure>\n    </testcase>`;
}

/** JUnit XML for CI test report viewers. */
export const junitFormatter: FormatterEntry = defineFormatter({
  name: 'junit',
  description: 'JUnit XML: one test case per rule (not evaluated = skipped) and one failing case per open finding',
  extension: 'xml',
  infersFrom: ['xml'],
  open: openJunit,
});
