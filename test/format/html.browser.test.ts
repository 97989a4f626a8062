/**
 * The HTML report in a real browser: Debian's chromium driven by playwright-core. Skipped, with
 * a message on stderr, where chromium is not installed (.ci/run installs it).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { Finding, ScanResult, Severity } from '../../src/model/index.js';
import { SEVERITIES } from '../../src/model/index.js';
import { htmlFormatter } from '../../src/core/format/html.js';
import { cli } from '../helpers/cli.js';
import { CONTEXT, EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE, injectionResult } from './helpers.js';

const CHROMIUM = process.env.CREDWARDEN_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available)
  process.stderr.write(
    `\nHTML browser tests SKIPPED: no chromium at ${CHROMIUM} (apt-get install chromium, or set CREDWARDEN_CHROMIUM)\n\n`,
  );

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let context: BrowserContext;
let profile: string;
const dir = mkdtempSync(join(tmpdir(), 'credwarden-html-'));

beforeAll(async () => {
  if (!available) return;
  const { chromium } = await import('playwright-core');
  profile = mkdtempSync(join(tmpdir(), 'credwarden-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

interface Loaded {
  page: Page;
  errors: string[];
  requests: string[];
}

/** Opens an HTML file, recording console errors, page errors and every request. */
async function open(file: string): Promise<Loaded> {
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, errors, requests };
}

async function exampleReport(): Promise<string> {
  const file = join(dir, 'example.html');
  const run = await cli([...EXAMPLE_SCAN_WITH_WAIVERS_AND_BASELINE, '--format', 'html', '--output', file, '--quiet']);
  expect(run.code, run.stderr).toBeLessThan(2);
  return file;
}

const rowCount = (page: Page) => page.locator('#findings-body tr').count();
const cellTexts = (page: Page, column: number) => page.locator(`#findings-body tr td:nth-child(${column})`).allTextContents();

describe.skipIf(!available)('HTML report in chromium', () => {
  it('loads with no console error and no network request', async () => {
    const { page, errors, requests } = await open(await exampleReport());
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(join(dir, 'example.html')).href]);
    expect(await page.locator('h2').allTextContents()).toEqual([
      'Scope',
      'Open findings by severity',
      'Control matrix',
      'Charts',
      'Findings',
      'Remediation plans',
    ]);
    expect(await page.locator('svg.chart[role="img"]').count()).toBe(5);
    await page.close();
  });

  it('filters by severity, account, rule and status, and searches text', async () => {
    const { page, errors } = await open(await exampleReport());
    const total = await rowCount(page);
    expect(total).toBe(18);
    await page.selectOption('#f-severity', { label: 'critical' });
    expect(new Set(await cellTexts(page, 1))).toEqual(new Set(['critical']));
    await expect.poll(() => page.textContent('#findings-count')).toBe('2 of 18 findings match');
    await page.selectOption('#f-severity', '');
    await page.selectOption('#f-account', '333333333333');
    expect((await cellTexts(page, 2)).every((t) => t.includes('333333333333'))).toBe(true);
    await page.selectOption('#f-rule', 'unused-credentials');
    expect(new Set(await cellTexts(page, 4))).toEqual(new Set(['unused-credentials']));
    await page.click('#f-reset');
    await page.selectOption('#f-status', 'waived');
    expect(new Set(await cellTexts(page, 6))).toEqual(new Set(['waived']));
    expect(await rowCount(page)).toBeGreaterThan(0);
    await page.click('#f-reset');
    await page.fill('#f-search', 'CAROL');
    await expect.poll(() => rowCount(page)).toBeLessThan(total);
    expect((await cellTexts(page, 3)).every((t) => t.startsWith('carol'))).toBe(true);
    await page.fill('#f-search', 'no such principal anywhere');
    await expect.poll(() => page.textContent('#findings-count')).toBe('0 of 18 findings match');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sorts by severity first by default, and by any column heading (again to reverse)', async () => {
    const { page, errors } = await open(await exampleReport());
    const order = (texts: string[]) => texts.map((t) => SEVERITIES.indexOf(t as Severity));
    const severities = order(await cellTexts(page, 1));
    expect(severities).toEqual([...severities].sort((a, b) => a - b));
    expect(severities[0]).toBe(0);
    expect(await page.getAttribute('#findings th:nth-child(1)', 'aria-sort')).toBe('ascending');
    await page.click('#findings button[data-sort="account"]');
    const accounts = await cellTexts(page, 2);
    expect(accounts).toEqual([...accounts].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase(), 'en', { numeric: true })));
    expect(await page.getAttribute('#findings th:nth-child(2)', 'aria-sort')).toBe('ascending');
    expect(await page.getAttribute('#findings th:nth-child(1)', 'aria-sort')).toBeNull();
    await page.click('#findings button[data-sort="account"]');
    expect(await cellTexts(page, 2)).toEqual(
      [...accounts].reverse().sort((a, b) => b.toLowerCase().localeCompare(a.toLowerCase(), 'en', { numeric: true })),
    );
    expect(await page.getAttribute('#findings th:nth-child(2)', 'aria-sort')).toBe('descending');
    await page.click('#findings button[data-sort="severity"]');
    await page.click('#findings button[data-sort="severity"]');
    const reversed = order(await cellTexts(page, 1));
    expect(reversed).toEqual([...reversed].sort((a, b) => b - a));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('filters severity at or above, and finds controls by id in search and in the Control filter', async () => {
    const { page, errors } = await open(await exampleReport());
    await page.selectOption('#f-severity', { label: 'high or above' });
    const shown = new Set(await cellTexts(page, 1));
    expect(shown).toEqual(new Set(['critical', 'high']));
    await page.click('#f-reset');
    // Security Hub IAM.5 and CIS 3.0 1.10 are console-user-without-mfa.
    await page.fill('#f-search', 'IAM.5');
    await expect.poll(async () => new Set(await cellTexts(page, 4))).toEqual(new Set(['console-user-without-mfa']));
    expect((await cellTexts(page, 5)).every((t) => t.includes('IAM.5') && t.includes('CIS 3.0 1.10'))).toBe(true);
    await page.fill('#f-search', '1.10');
    await expect.poll(async () => (await cellTexts(page, 5)).every((t) => t.includes('1.10'))).toBe(true);
    expect(await rowCount(page)).toBeGreaterThan(0);
    await page.click('#f-reset');
    await page.selectOption('#f-control', 'CIS 3.0 1.10');
    expect(new Set(await cellTexts(page, 4))).toEqual(new Set(['console-user-without-mfa']));
    await page.selectOption('#f-control', 'IAM.4');
    expect(new Set(await cellTexts(page, 4))).toEqual(new Set(['root-access-key-exists']));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('plan documentation links are clickable https links that open a new tab without referrer', async () => {
    const { page, errors, requests } = await open(await exampleReport());
    const links = page.locator('details.plan a[href^="https://"]');
    expect(await links.count()).toBeGreaterThan(0);
    expect(await links.first().getAttribute('rel')).toBe('noopener noreferrer');
    expect(await links.first().getAttribute('target')).toBe('_blank');
    expect(await page.locator('details.plan a:not([href^="https://"]):not([href^="#"])').count()).toBe(0);
    expect(requests).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows whole account names on the charts: every label fits its column', async () => {
    const { page, errors } = await open(await exampleReport());
    const clipped = await page.evaluate(() => {
      const doc = (
        globalThis as unknown as {
          document: { querySelectorAll: (s: string) => ArrayLike<{ getBBox: () => { x: number }; textContent: string | null }> };
        }
      ).document;
      return Array.from(doc.querySelectorAll('#chart-accounts text tspan, #chart-recovery text tspan'))
        .filter((t) => t.getBBox().x < 0 || (t.textContent ?? '').endsWith('…'))
        .map((t) => t.textContent);
    });
    expect(clipped).toEqual([]);
    expect(await page.locator('#chart-accounts tspan', { hasText: 'payments-prod' }).count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('plans expand, by click or keyboard, and each command has a copy button', async () => {
    const { page, errors } = await open(await exampleReport());
    const plan = page.locator('details.plan').first();
    expect(await plan.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false);
    await plan.locator('summary').click();
    expect(await plan.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
    const second = page.locator('details.plan').nth(1);
    await second.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await second.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
    const copy = plan.locator('button.copy').first();
    const command = await plan.locator('.cmd pre').first().textContent();
    expect(await copy.getAttribute('data-copy')).toBe(command);
    await copy.click();
    await expect.poll(() => copy.textContent()).toMatch(/Copied|Select and copy/);
    // A finding's "plan" link opens its plan.
    await page.locator('#findings-body a[href^="#plan-"]').first().click();
    const target = await page.evaluate(() =>
      decodeURIComponent((globalThis as unknown as { location: { hash: string } }).location.hash.slice(1)),
    );
    expect(await page.locator(`[id="${target}"]`).evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders for print: controls hidden, every plan shown, a PDF produced', async () => {
    const { page, errors } = await open(await exampleReport());
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.filters').isVisible()).toBe(false);
    expect(await page.locator('details.plan ol').first().isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps hostile names inert: no markup, no script, no request', async () => {
    const result = await injectionResult();
    const hostile = '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2">';
    const findings = result.findings.map((f, i) =>
      i === 0 ? { ...f, message: hostile, principal: { ...f.principal, name: `${hostile}\u2028` } } : f,
    );
    const file = join(dir, 'hostile.html');
    writeFileSync(file, Array.from(htmlFormatter.format({ ...result, findings }, CONTEXT)).join(''));
    const { page, errors, requests } = await open(file);
    expect(await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    await page.fill('#f-search', 'window.pwned=1');
    await expect.poll(() => rowCount(page)).toBe(1);
    expect(await page.locator('#findings-body tr td:nth-child(7)').first().textContent()).toContain(hostile);
    expect(requests).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('stays usable with 100,000 findings: data embedded once, 50 rows in the page', async () => {
    const result = await injectionResult();
    const base = result.findings[0] as Finding;
    const findings: Finding[] = Array.from({ length: 100_000 }, (_, i) => ({
      ...base,
      severity: SEVERITIES[i % 5] as Severity,
      accountId: String(100_000_000_000 + (i % 300)),
      principal: { ...base.principal, name: `user-${i}` },
      fingerprint: i.toString(16).padStart(32, '0'),
    }));
    const big: ScanResult = { ...result, findings };
    const file = join(dir, 'big.html');
    const html = Array.from(htmlFormatter.format(big, CONTEXT)).join('');
    expect(html.split('user-99999').length - 1).toBe(1);
    writeFileSync(file, html);
    const { page, errors } = await open(file);
    expect(await rowCount(page)).toBe(50);
    expect(await page.textContent('#page-info')).toContain('page 1 of 2000');
    await page.click('#page-next');
    expect(await page.textContent('#page-info')).toContain('page 2 of 2000');
    await page.fill('#f-search', 'user-99999');
    await expect.poll(() => rowCount(page), { timeout: 10_000 }).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
