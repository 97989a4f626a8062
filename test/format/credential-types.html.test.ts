/**
 * --format html shows every credential type beyond the credential report in its findings data
 * and counts them in the "Open findings by credential kind" chart; in Chromium (playwright-core,
 * skipped with a message where /usr/bin/chromium is missing) the chart renders its bars (issue 22).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { INACTIVE_CREDENTIAL_ID, PLANTED, scanCredentialTypes, secretsIn } from './credential-types.js';

const CHROMIUM = process.env.CREDWARDEN_CHROMIUM ?? '/usr/bin/chromium';
const browser = existsSync(CHROMIUM);
if (!browser) process.stderr.write(`\nHTML credential-kind browser check SKIPPED: no chromium at ${CHROMIUM}\n\n`);

/** The rows (kind → open findings, all severities) of the credential-kind chart's table. */
function kindTable(html: string): Map<string, number> {
  const figure = /<figure id="chart-credential-kinds">[\s\S]*?<\/figure>/.exec(html)?.[0] ?? '';
  const rows = [...figure.matchAll(/<tr><th scope="row">([^<]+)<\/th>((?:<td class="num">\d+<\/td>)+)<\/tr>/g)];
  return new Map(rows.map((m) => [m[1]!, [...m[2]!.matchAll(/>(\d+)</g)].reduce((n, d) => n + Number(d[1]), 0)]));
}

/** The findings the page's script renders from (its embedded JSON data). */
function pageFindings(html: string): unknown[][] {
  const data = /<script type="application\/json" id="credwarden-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '{}';
  return (JSON.parse(data) as { findings?: unknown[][] }).findings ?? [];
}

describe('credential types in --format html', () => {
  it('lists each planted credential and counts every credential kind in the chart', async () => {
    const run = await scanCredentialTypes('html');
    expect(run.code, run.stderr).toBe(0);
    const html = run.file('credwarden.html');
    const findings = pageFindings(html);
    for (const planted of PLANTED) {
      const row = findings.find((f) => f.includes(planted.ruleId) && f.includes(planted.principalArn));
      expect(row, `${planted.ruleId} ${planted.principalArn}`).toBeDefined();
      expect(row).toContain(planted.accountId);
      if (planted.credential) expect(row).toContain(planted.credential);
    }
    // One open finding per planted item, by kind (examples/sandbox/demo-org.json + the test's additions).
    const kinds = kindTable(html);
    expect(Object.fromEntries([...kinds].filter(([kind]) => !/passwords|access keys|signing|principals/.test(kind)))).toEqual({
      'Bedrock API keys': 2,
      'CloudWatch Logs API keys': 1,
      'CodeCommit Git credentials': 1,
      'Keyspaces credentials': 1,
      'SSH public keys': 2,
      'server certificates': 1,
      'account password policies': 4,
    });
    // The chart covers every open finding once.
    const open = findings.filter((f) => f.includes('open')).length;
    expect([...kinds.values()].reduce((a, b) => a + b, 0)).toBe(open);
    expect(html).not.toContain(INACTIVE_CREDENTIAL_ID);
    expect(secretsIn(html)).toEqual([]);
  });

  it.runIf(browser)(
    'renders the credential-kind chart in Chromium: one labelled bar group per kind, no script error',
    async () => {
      const run = await scanCredentialTypes('html');
      const { chromium } = await import('playwright-core');
      const profile = mkdtempSync(join(tmpdir(), 'credwarden-chromium-'));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
        viewport: { width: 1280, height: 900 },
      });
      try {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(pathToFileURL(join(run.dir, 'credwarden.html')).href);
        const figure = page.locator('#chart-credential-kinds');
        await figure.scrollIntoViewIfNeeded();
        const box = await figure.boundingBox();
        expect(box?.height ?? 0).toBeGreaterThan(100);
        const svgText = await figure.locator('svg').textContent();
        for (const kind of [
          'Bedrock API keys',
          'CloudWatch Logs API keys',
          'SSH public keys',
          'server certificates',
          'account password policies',
        ])
          expect(svgText, kind).toContain(kind);
        if (process.env.CREDWARDEN_SCREENSHOT) await figure.screenshot({ path: process.env.CREDWARDEN_SCREENSHOT });
        expect(errors).toEqual([]);
      } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      }
    },
    90_000,
  );
});
