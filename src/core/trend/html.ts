/** The trend as one self-contained HTML page: SVG charts, each with the table of its numbers. */
import { SEVERITIES } from '../../model/index.js';
import { barChartSvg } from '../charts/svg.js';
import { PALETTE } from '../charts/svg.js';
import { severitySeries } from '../charts/severity.js';
import { escapeHtml } from '../util/escape.js';
import { htmlPage } from '../format/html/page.js';
import type { Trend } from './build.js';

const day = (iso: string) => iso.slice(0, 10);
const days = (value: number | null) => (value === null ? '—' : `${value} d`);
const cell = (text: string | number, num = false) => `<td${num ? ' class="num"' : ''}>${escapeHtml(String(text))}</td>`;

function pointsTable(trend: Trend): string {
  const head = `<tr><th scope="col">As of</th>${SEVERITIES.map((s) => `<th scope="col" class="num">${s}</th>`).join('')}<th scope="col" class="num">Open</th><th scope="col" class="num">Waived</th><th scope="col" class="num">New</th><th scope="col" class="num">Resolved</th><th scope="col" class="num">Accounts scanned</th></tr>`;
  const rows = trend.points.map(
    (p) =>
      `<tr><th scope="row">${day(p.asOf)}</th>${SEVERITIES.map((s) => cell(p.open[s], true)).join('')}${cell(p.openTotal, true)}${cell(p.waived, true)}${cell(`+${p.new}`, true)}${cell(`−${p.resolved}`, true)}${cell(`${p.accounts.scanned}${p.accounts.failed ? ` (${p.accounts.failed} failed)` : ''}`, true)}</tr>`,
  );
  return `<table><caption class="sr-only">Findings per scan</caption><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function charts(trend: Trend): string {
  const categories = trend.points.map((p) => day(p.asOf));
  const open = barChartSvg({
    id: 'trend-open',
    title: 'Open findings by severity per scan',
    description: `Open findings at each of ${trend.points.length} scans, stacked by severity. ${trend.points.map((p) => `${day(p.asOf)}: ${p.openTotal}`).join('; ')}.`,
    categories,
    series: severitySeries(SEVERITIES, (s) => trend.points.map((p) => p.open[s])),
    valueLabel: 'open findings',
  });
  const churn = (id: string, title: string, values: number[], color: string, pattern: 'solid' | 'diagonal') =>
    barChartSvg(
      {
        id,
        title,
        description: `${title}: ${trend.points.map((p, i) => `${day(p.asOf)}: ${values[i]}`).join('; ')}.`,
        categories,
        series: [{ name: title.split(' ')[0] ?? title, color, pattern, values }],
        valueLabel: 'findings',
      },
      480,
    );
  return (
    `<div class="charts"><figure><figcaption>Open findings by severity per scan</figcaption>${open}</figure>` +
    `<figure><figcaption>New findings per scan</figcaption>${churn(
      'trend-new',
      'New findings per scan',
      trend.points.map((p) => p.new),
      PALETTE.vermillion,
      'diagonal',
    )}</figure>` +
    `<figure><figcaption>Resolved findings per scan</figcaption>${churn(
      'trend-resolved',
      'Resolved findings per scan',
      trend.points.map((p) => p.resolved),
      PALETTE.green,
      'solid',
    )}</figure></div>`
  );
}

function remediationTable(trend: Trend): string {
  const rows = trend.rules.map(
    (r) =>
      `<tr>${cell(r.ruleId)}<td><span class="sev sev-${r.severity}">${r.severity}</span></td>${cell(r.resolved, true)}${cell(days(r.medianDays), true)}${cell(days(r.worstDays), true)}${cell(r.stillOpen, true)}</tr>`,
  );
  return `<table><thead><tr><th scope="col">Rule</th><th scope="col">Severity</th><th scope="col" class="num">Resolved</th><th scope="col" class="num">Median</th><th scope="col" class="num">Worst</th><th scope="col" class="num">Still open</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function oldestTable(trend: Trend): string {
  if (trend.oldestOpen.length === 0) return '<p>None.</p>';
  const rows = trend.oldestOpen.map(
    (f) =>
      `<tr>${cell(`${f.ageDays} d`, true)}<td><span class="sev sev-${f.severity}">${f.severity}</span></td>${cell(`${f.accountId}${f.accountName ? ` (${f.accountName})` : ''}`)}${cell(f.principal)}${cell(`${f.ruleId}${f.credential ? ` (${f.credential})` : ''}`)}${cell(day(f.firstSeen))}</tr>`,
  );
  return `<table><thead><tr><th scope="col" class="num">Open for</th><th scope="col">Severity</th><th scope="col">Account</th><th scope="col">Principal</th><th scope="col">Rule</th><th scope="col">First seen</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function lostList(trend: Trend): string {
  if (trend.lostAccounts.length === 0) return '<p>None: every account scanned before was scanned in the last scan.</p>';
  return `<ul>${trend.lostAccounts.map((a) => `<li>${escapeHtml(`${a.accountId}${a.name ? ` (${a.name})` : ''}: last scanned ${day(a.lastScanned)}; now ${a.now}`)}</li>`).join('')}</ul>`;
}

/** The trend page. */
export function trendHtml(trend: Trend): string {
  const first = trend.points[0];
  const last = trend.points[trend.points.length - 1];
  const span = first && last ? `${day(first.asOf)} to ${day(last.asOf)}` : 'no scans';
  const body =
    `<main><h1>credwarden trend</h1><p class="muted">${trend.points.length} scans, ${span}.</p>` +
    `<h2>Findings per scan</h2>${charts(trend)}${pointsTable(trend)}` +
    `<h2>Time to remediate</h2><p class="muted">From the first scan that saw a finding to the first scan that no longer did (by fingerprint).</p>${remediationTable(trend)}` +
    `<h2>Oldest open findings</h2>${oldestTable(trend)}` +
    `<h2>Accounts no longer scanned</h2>${lostList(trend)}</main>`;
  return htmlPage({ title: `credwarden trend: ${span}`, body });
}
