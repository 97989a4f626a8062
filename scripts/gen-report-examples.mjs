#!/usr/bin/env node
// Regenerates reports/examples/: one example of every report format for the
// bundled example organisation (examples/org), with waivers and a baseline so
// every section shows up. Run `npm run examples:reports` (it builds first).
// Everything is evaluated --as-of a fixed time, so the output is reproducible.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'reports/examples');
const AS_OF = '2026-11-01T12:00:00Z';
const BASELINE_AS_OF = '2026-08-01T12:00:00Z';

const WAIVERS = `# Example waivers: approved, expiring exceptions (see docs/reports.md).
waivers:
  - id: SEC-101
    rule: root-access-key-exists
    account: '222222222222'
    principal: 'arn:aws:iam::222222222222:root'
    reason: Legacy billing export still signs with the root key; migration tracked in SEC-101
    approvedBy: ciso@example.com
    expires: 2026-12-31
  - id: SEC-087
    rule: console-user-without-mfa
    account: '333333333333'
    principal: erin
    reason: Hardware key on order
    approvedBy: security-team@example.com
    expires: 2026-10-15
  - id: SEC-120
    rule: access-key-not-rotated
    account: '*'
    principal: 'arn:aws:iam::*:user/build/*'
    reason: Build users are rotated by the vault job
    approvedBy: platform@example.com
    expires: 2027-01-31
`;

/**
 * The example organisation's credential reports as they would have read at `asOf`: users
 * created later are gone, keys created later were not there yet, and uses after `asOf` are
 * moved before it. A plausible earlier scan for the baseline example (issue 19 item 15).
 */
function rewindReport(csv, asOf) {
  const at = Date.parse(asOf);
  const [header, ...records] = parseCsv(csv, { relax_column_count: true });
  const col = (name) => header.indexOf(name);
  const after = (v) => /^\d{4}-/.test(v) && Date.parse(v) > at;
  const before = (days) => new Date(at - days * 86_400_000).toISOString().replace('.000Z', '+00:00');
  const rows = [];
  for (const cells of records) {
    if (after(cells[col('user_creation_time')])) continue;
    for (const slot of [1, 2]) {
      const p = (f) => col(`access_key_${slot}_${f}`);
      if (after(cells[p('last_rotated')])) {
        cells[p('active')] = 'false';
        for (const f of ['last_rotated', 'last_used_date', 'last_used_region', 'last_used_service']) cells[p(f)] = 'N/A';
      } else if (after(cells[p('last_used_date')])) cells[p('last_used_date')] = before(2);
    }
    if (after(cells[col('password_last_used')])) cells[col('password_last_used')] = before(1);
    if (after(cells[col('password_last_changed')])) cells[col('password_last_changed')] = before(30);
    for (const slot of [1, 2]) {
      const rotated = col(`cert_${slot}_last_rotated`);
      if (after(cells[rotated])) {
        cells[rotated] = 'N/A';
        cells[col(`cert_${slot}_active`)] = 'false';
      }
    }
    rows.push(cells);
  }
  return stringifyCsv([header, ...rows]);
}

function credwarden(args, env = {}) {
  execFileSync(process.execPath, [join(root, 'bin/credwarden.js'), ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** Runs a command that may exit 1 (a failed gate is expected in examples). */
function tolerate(fn) {
  try {
    fn();
  } catch (error) {
    if (error.status !== 1) throw error;
  }
}

mkdirSync(out, { recursive: true });
for (const file of readdirSync(out, { withFileTypes: true }))
  if (file.isFile() && file.name !== 'README.md' && file.name !== 'credwarden-html.png') rmSync(join(out, file.name));
const rel = (name) => `reports/examples/${name}`;
const tmpHistory = mkdtempSync(join(tmpdir(), 'credwarden-history-'));
writeFileSync(join(out, 'waivers.yaml'), WAIVERS);

// The "previous" scheduled scan, three months earlier: the reports as they read then (users
// and keys created later absent, later uses moved before it), each evaluated at its own time.
// Never the November reports --as-of August: they would cite uses that had not happened yet.
const baselineReports = mkdtempSync(join(tmpdir(), 'credwarden-baseline-'));
const stamp = BASELINE_AS_OF.replace(/[-:]/g, '').replace(/^(\d{8})T/, (_, d) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}T`);
for (const name of readdirSync(join(root, 'examples/org')).filter((f) => f.endsWith('.csv'))) {
  const rewound = rewindReport(readFileSync(join(root, 'examples/org', name), 'utf8'), BASELINE_AS_OF);
  writeFileSync(join(baselineReports, name.replace(/\.\d{4}-\d{2}-\d{2}T\d{6}Z\.csv$/, `.${stamp}.csv`)), rewound);
}
credwarden(['scan', '--from', baselineReports, '--format', 'json', '--output', rel('baseline.json'), '--quiet']);
rmSync(baselineReports, { recursive: true });

const common = [
  '--from',
  'examples/org',
  '--as-of',
  AS_OF,
  '--waivers',
  rel('waivers.yaml'),
  '--baseline',
  rel('baseline.json'),
  '--quiet',
];
credwarden(['scan', ...common, '--format', 'json,csv,markdown,sarif,junit,html,asff', '--output-dir', 'reports/examples']);
const summary = join(out, 'github-job-summary.md');
writeFileSync(summary, '');
tolerate(() =>
  credwarden(['scan', ...common, '--format', 'github', '--output', rel('github-annotations.txt')], { GITHUB_STEP_SUMMARY: summary }),
);
credwarden(['diff', rel('baseline.json'), rel('credwarden.json'), '--format', 'markdown', '--output', rel('diff.md')]);
credwarden(['diff', rel('baseline.json'), rel('credwarden.json'), '--output', rel('diff.txt')]);
// The trend over three monthly scans of the same reports.
for (const month of ['2026-09-01', '2026-10-01', '2026-11-01']) {
  credwarden([
    'scan',
    '--from',
    'examples/org',
    '--as-of',
    `${month}T12:00:00Z`,
    '--format',
    'json',
    '--output',
    `${tmpHistory}/${month}.json`,
    '--quiet',
  ]);
}
credwarden(['trend', tmpHistory, '--format', 'markdown', '--output', rel('trend.md')]);
credwarden(['trend', tmpHistory, '--format', 'html', '--output', rel('trend.html')]);
rmSync(tmpHistory, { recursive: true, force: true });
await screenshot(join(out, 'credwarden.html'), join(out, 'credwarden-html.png'));
console.log(`wrote ${readdirSync(out).length} files to reports/examples/`);

/** A full-page screenshot of the HTML report in Debian's chromium (skipped when it is absent). */
async function screenshot(html, png) {
  const chromiumPath = process.env.CREDWARDEN_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) {
    console.warn(`no chromium at ${chromiumPath}: screenshot not updated`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'credwarden-chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args,
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = await context.newPage();
    await page.goto(pathToFileURL(html).href);
    await page.locator('details.plan').first().locator('summary').click();
    await page.screenshot({ path: png, fullPage: true });
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
