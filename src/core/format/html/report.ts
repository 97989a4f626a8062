/**
 * The HTML report, as a sequence of chunks (the page is written piece by piece, never built as
 * one string): scope, severity cards, a control matrix per framework, five charts with their
 * tables, the findings table (data embedded once as JSON, rendered a page at a time by the
 * page's script, with filters and search), and the plans, one per principal, collapsible, with a
 * copy button per command. Pure: everything comes from the result and the context.
 */
import type { AccountResult, Finding, Frameworks, Plan, PlanStep } from '../../../model/index.js';
import type { RunHeader, Tallies } from '../../pipeline/types.js';
import { coverageText, frameworkMatrices, type Control, type FrameworkMatrix } from '../controls.js';
import { STATUS_LABEL, STATUS_LEGEND, STATUS_SYMBOL, type AnyStatus } from '../status.js';
import { SEVERITIES } from '../../../model/index.js';
import { escapeHtml } from '../../util/escape.js';
import type { FormatContext } from '../types.js';
import type { ChartWithTable } from './charts.js';
import { jsonForScript, pageHead } from './page.js';
import { REPORT_SCRIPT } from './script.js';

/** Plans rendered in the page; beyond it the page says how many more there are and where. */
export const HTML_PLAN_LIMIT = 500;
/** Findings per chunk of the embedded JSON. */
const DATA_CHUNK = 2000;

const e = (text: string | number) => escapeHtml(String(text));
/** Attribute values: escapeHtml handles `"`; quotes are always double. */
const attr = e;

/** What the report states of the accounts: kept account by account (small: a line per account not scanned). */
export interface HtmlAccounts {
  /** Accounts the result lists. */
  listed: number;
  /** Each organisational unit path, once. */
  ous: Set<string>;
  /** The earliest and latest account as-of times. */
  firstAsOf?: string;
  lastAsOf?: string;
  notScanned: Pick<AccountResult, 'id' | 'name' | 'status' | 'reason'>[];
}

function asOfText(asOf: string | null, accounts: HtmlAccounts): string {
  if (asOf) return asOf;
  const { firstAsOf: first, lastAsOf: last } = accounts;
  if (first === undefined || last === undefined) return 'unknown';
  return first === last ? first : `${first} to ${last} (each account at its own report time)`;
}

/** What the result says about the organisation: its OU paths (live scans), or that it has none. */
function organisation(accounts: HtmlAccounts): string {
  const ous = [...accounts.ous].sort();
  if (ous.length === 0) return `${accounts.listed} accounts, without organisation data (saved credential reports or single accounts)`;
  const shown = ous
    .slice(0, 20)
    .map((p) => `<code>${e(p)}</code>`)
    .join(', ');
  return `${accounts.listed} accounts in ${ous.length} organisational unit paths: ${shown}${ous.length > 20 ? `, and ${ous.length - 20} more` : ''}`;
}

function scope(header: RunHeader, tallies: Tallies, accounts: HtmlAccounts, context: FormatContext): string {
  const { scanned, failed, skipped } = tallies.summary.accounts;
  const notScanned = accounts.notScanned;
  const list =
    notScanned.length === 0
      ? ''
      : `<details><summary>${notScanned.length} accounts not scanned, with reasons</summary><table><thead><tr><th scope="col">Account</th><th scope="col">Status</th><th scope="col">Reason</th></tr></thead><tbody>${notScanned.map((a) => `<tr><td>${e(a.name ? `${a.name} (${a.id})` : a.id)}</td><td>${e(a.status)}</td><td>${e(a.reason ?? '')}</td></tr>`).join('')}</tbody></table></details>`;
  return (
    `<section aria-labelledby="scope-h"><h2 id="scope-h">Scope</h2><table class="scope"><tbody>` +
    `<tr><th scope="row">Organisation</th><td>${organisation(accounts)}</td></tr>` +
    `<tr><th scope="row">Accounts</th><td>${scanned} scanned, ${failed} failed, ${skipped} skipped</td></tr>` +
    `<tr><th scope="row">Pack</th><td>${e(header.pack)}</td></tr>` +
    `<tr><th scope="row">Rules hash</th><td><code>${e(header.rulesHash)}</code></td></tr>` +
    `<tr><th scope="row">As of</th><td>${e(asOfText(header.asOf, accounts))}</td></tr>` +
    `<tr><th scope="row">Tool</th><td>credwarden ${e(context.toolVersion)} (result schema ${header.schemaVersion})</td></tr>` +
    header.notes.map((note) => `<tr><th scope="row">Not covered</th><td>${e(note)}</td></tr>`).join('') +
    `${header.shard ? `<tr><th scope="row">Shard</th><td>${header.shard.index} of ${header.shard.count}</td></tr>` : ''}` +
    `</tbody></table>${list}</section>`
  );
}

function cards(tallies: Tallies): string {
  const s = tallies.summary;
  const card = (cls: string, n: number, label: string) => `<div class="card ${cls}"><span class="n">${n}</span>${e(label)}</div>`;
  return `<section aria-labelledby="summary-h"><h2 id="summary-h">Open findings by severity</h2><div class="cards">${SEVERITIES.map((sev) => card(`sev-${sev}`, s.bySeverity[sev], sev)).join('')}${card('', s.waived, 'waived')}${s.new !== undefined ? card('', s.new, 'new since baseline') : ''}</div><p class="muted">${s.open} open and ${s.waived} waived findings${tallies.resolved !== undefined ? `; ${tallies.resolved} resolved since the baseline` : ''}.</p></section>`;
}

function statusText(status: AnyStatus): string {
  return `${STATUS_SYMBOL[status]} ${STATUS_LABEL[status]}`;
}

function matrixTable(m: FrameworkMatrix): string {
  const rows = m.controls.map((c) => {
    const rules = [
      ...c.rules.map((r) => `<code>${e(r.id)}</code>`),
      ...c.missingRules.map((r) => `<code>${e(r)}</code> (not in pack)`),
    ].join('<br>');
    const detail = c.detail ? `<br><span class="muted">${e(c.detail)}</span>` : '';
    return `<tr><th scope="row">${e(c.id)}</th><td>${e(c.title)}</td><td>${rules || '—'}</td><td class="st st-${c.status}">${statusText(c.status)}${detail}</td><td class="num">${c.open}</td><td class="num">${c.waived}</td><td class="num">${c.notEvaluatedAccounts}</td></tr>`;
  });
  return `<h3>${e(m.title)}</h3><p>${e(coverageText(m))}</p><table><thead><tr><th scope="col">Control</th><th scope="col">Title</th><th scope="col">Rules</th><th scope="col">Status</th><th scope="col" class="num">Open findings</th><th scope="col" class="num">Waived</th><th scope="col" class="num">Accounts not evaluated</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function matrix(header: RunHeader, list: readonly Control[]): string {
  const matrices = frameworkMatrices({ pack: header.pack, frameworkCoverage: header.frameworkCoverage }, list);
  const tables = matrices.length > 0 ? matrices.map(matrixTable) : ['<p>No rule of this pack maps to a framework.</p>'];
  return `<section aria-labelledby="matrix-h"><h2 id="matrix-h">Control matrix</h2><p class="muted">${e(STATUS_LEGEND)}</p>${tables.join('')}</section>`;
}

function chartFigure(chart: ChartWithTable): string {
  const head = chart.table.head.map((h, i) => `<th scope="col"${i > 0 ? ' class="num"' : ''}>${e(h)}</th>`).join('');
  const rows = chart.table.rows
    .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${e(c)}</th>` : `<td class="num">${e(c)}</td>`)).join('')}</tr>`)
    .join('');
  return `<figure id="${chart.id}"><figcaption>${e(chart.title)}</figcaption>${chart.svg}<p class="muted">${e(chart.note)}</p><details><summary>Table of this chart</summary><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></details></figure>`;
}

function charts(list: readonly ChartWithTable[]): string {
  return `<section aria-labelledby="charts-h"><h2 id="charts-h">Charts</h2><div class="charts">${list.map(chartFigure).join('')}</div></section>`;
}

/** The findings table's columns: header text and the sort key the page's script knows it by. */
const FINDING_COLUMNS = [
  ['Severity', 'severity'],
  ['Account', 'account'],
  ['Principal · credential', 'principal'],
  ['Rule', 'rule'],
  ['Controls', 'controls'],
  ['Status', 'status'],
  ['Message', 'message'],
] as const;

function findingsSection(findings: number): string {
  const select = (id: string, label: string, extra = '', all = 'all') =>
    `<label for="${id}">${label}<select id="${id}"><option value="">${all}</option>${extra}</select></label>`;
  const head = FINDING_COLUMNS.map(
    ([label, key]) =>
      `<th scope="col"${key === 'severity' ? ' aria-sort="ascending"' : ''}><button type="button" class="sort" data-sort="${key}">${e(label)}</button></th>`,
  ).join('');
  return (
    `<section aria-labelledby="findings-h"><h2 id="findings-h">Findings</h2>` +
    `<div class="filters" role="search">${select('f-severity', 'Severity at or above', '', 'any')}${select('f-account', 'Account')}${select('f-rule', 'Rule')}${select('f-control', 'Control')}${select('f-status', 'Status', '<option value="open">open</option><option value="waived">waived</option>')}` +
    `<label for="f-search">Search<input id="f-search" type="search" placeholder="principal, ARN, control (IAM.5, 1.10), message…"></label><button type="button" id="f-reset">Reset</button></div>` +
    `<p id="findings-count" role="status" aria-live="polite">${findings} findings</p>` +
    `<noscript><p>The findings table needs JavaScript; the same findings are in credwarden.json and credwarden.csv.</p></noscript>` +
    `<p class="muted">Sorted by severity, most severe first; select a column heading to sort by it, again to reverse.</p>` +
    `<table id="findings"><caption class="sr-only">Findings, filtered and sorted</caption><thead><tr>${head}</tr></thead><tbody id="findings-body"></tbody></table>` +
    `<div class="pager"><button type="button" id="page-prev">Previous</button><span id="page-info"></span><button type="button" id="page-next">Next</button></div></section>`
  );
}

function stepHtml(step: PlanStep): string {
  const commands = step.commands
    .map(
      (c) =>
        `<div class="cmd"><pre><code>${e(c)}</code></pre><button type="button" class="copy" data-copy="${attr(c)}" aria-label="Copy command">Copy</button></div>`,
    )
    .join('');
  return `<li><span class="muted">[${e(step.actor)}]</span> ${e(step.text)}${step.caution ? `<p class="caution"><strong>Caution:</strong> ${e(step.caution)}</p>` : ''}${commands}</li>`;
}

/**
 * A documentation link: clickable when it is an https URL (opened in a new tab, without referrer
 * or opener); anything else is shown as text, never as a link (no javascript:, data: or file:).
 */
export function linkItem(link: { title: string; url: string }): string {
  if (/^https:\/\/[^\s"'<>]+$/.test(link.url))
    return `<li><a href="${attr(link.url)}" target="_blank" rel="noopener noreferrer">${e(link.title)}</a> <span class="muted">${e(link.url)}</span></li>`;
  return `<li>${e(link.title)}: <code>${e(link.url)}</code></li>`;
}

function planHtml(plan: Plan, account: AccountResult | undefined): string {
  const who = `${plan.principal.name} in ${account?.name ? `${account.name} (${plan.accountId})` : plan.accountId}`;
  const list = (title: string, items: readonly string[]) =>
    items.length === 0 ? '' : `<h4>${title}</h4><ul>${items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`;
  const alternatives = plan.alternatives
    .map((a) => `<h4>Alternative: ${e(a.title)}</h4><p>${e(a.when)}</p><ol>${a.steps.map(stepHtml).join('')}</ol>`)
    .join('');
  return (
    `<details class="plan" id="plan-${attr(plan.id)}"><summary><strong>${e(who)}</strong> <span class="muted">${plan.findings.length} findings, ${plan.steps.length} steps</span></summary>` +
    `${list(
      'Resolves',
      plan.findings.map((f) => f.resolution),
    )}${list('Goals', plan.goals)}${list('Notes', plan.notes)}` +
    `<h4>Steps</h4><ol>${plan.steps.map(stepHtml).join('')}</ol>${alternatives}${list('Verify', plan.verification)}` +
    `${plan.links.length > 0 ? `<h4>Links</h4><ul>${plan.links.map(linkItem).join('')}</ul>` : ''}</details>`
  );
}

function* plans(shown: readonly string[], total: number): Generator<string> {
  yield `<section aria-labelledby="plans-h"><h2 id="plans-h">Remediation plans</h2><p class="muted">One plan per principal. credwarden never runs them: review each command before running it.</p>`;
  if (total === 0) yield '<p>No plan: no open finding has a remediation procedure.</p>';
  yield* shown;
  const more = total - shown.length;
  if (more > 0) yield `<p>${more} more plans are not shown here: run <code>credwarden plan RESULT.json</code>, or see the JSON result.</p>`;
  yield '</section>';
}

/**
 * A rule's controls as the findings table shows them (`CIS 3.0 1.10`, `CIS 5.0 1.9`, `IAM.5`: what
 * the Control filter lists and search matches), and its AWS Config rules (searched, not shown).
 */
export function controlTokens(frameworks: Frameworks): [string[], string[]] {
  return [
    [
      ...frameworks['cis-aws-3.0'].map((id) => `CIS 3.0 ${id}`),
      ...frameworks['cis-aws-5.0'].map((id) => `CIS 5.0 ${id}`),
      ...frameworks['aws-security-hub'],
    ],
    [...frameworks['aws-config']],
  ];
}

/** A finding as a compact row of the page's data: [severity index, account, rule, status, principal, ARN, credential, message, fingerprint, plan id, waiver reason]. */
function findingRow(f: Finding): string {
  return jsonForScript([
    SEVERITIES.indexOf(f.severity),
    f.accountId,
    f.ruleId,
    f.status,
    f.principal.name,
    f.principal.arn,
    f.credential,
    f.message,
    f.fingerprint,
    f.remediation.planId ?? null,
    f.waiver?.reason ?? null,
  ]);
}

/** The page up to the findings' rows: everything above them needs the tallies, so it is written last. */
export interface HtmlHead {
  header: RunHeader;
  tallies: Tallies;
  context: FormatContext;
  accounts: HtmlAccounts;
  /** Account names by id, for the findings filter (accounts the result lists first, in id order). */
  accountNames: Readonly<Record<string, string | null>>;
  /** Rules by id for the findings table: title, controls shown, controls searched. */
  rules: Readonly<Record<string, readonly [string, string[], string[]]>>;
  controls: readonly Control[];
  charts: readonly ChartWithTable[];
  findings: number;
  plans: { shown: readonly string[]; total: number };
}

/** The page's opening, down to the start of the findings' rows in the embedded data. */
export function* htmlHead(head: HtmlHead): Generator<string> {
  yield pageHead('credwarden report', REPORT_SCRIPT);
  yield `<header><h1>credwarden report</h1><p class="muted">AWS IAM credential hygiene. <a href="#findings-h">Findings</a> · <a href="#plans-h">Plans</a></p></header><main>`;
  yield scope(head.header, head.tallies, head.accounts, head.context);
  yield cards(head.tallies);
  yield matrix(head.header, head.controls);
  yield charts(head.charts);
  yield findingsSection(head.findings);
  yield* plans(head.plans.shown, head.plans.total);
  yield '</main>\n';
  yield `<script type="application/json" id="credwarden-data">{"severities":${jsonForScript(SEVERITIES)},"accounts":${jsonForScript(head.accountNames)},"rules":${jsonForScript(head.rules)},"findings":[`;
}

/** The findings' rows of one account, joined by commas (pure): the page's data, account by account. */
export function* htmlRows(findings: readonly Finding[]): Generator<string> {
  for (let i = 0; i < findings.length; i += DATA_CHUNK) {
    yield `${i > 0 ? ',' : ''}${findings
      .slice(i, i + DATA_CHUNK)
      .map(findingRow)
      .join(',')}`;
  }
}

/** The page's end, after the last account's rows. */
export function htmlTail(): string[] {
  return [']}</script>\n', `<script>${REPORT_SCRIPT}</script>\n</body>\n</html>\n`];
}

/** Separator between two accounts' rows. */
export const HTML_ROW_SEPARATOR = ',';

/** A plan as the page shows it (pure), with the account it is in. */
export function htmlPlan(plan: Plan, account: AccountResult | undefined): string {
  return planHtml(plan, account);
}
