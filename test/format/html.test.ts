/** The HTML report as text: CSP, escaping, honest control statuses, charts with tables. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/index.js';
import { htmlFormatter } from '../../src/core/format/html.js';
import { jsonForScript } from '../../src/core/format/html/page.js';
import { reportCharts } from '../../src/core/format/html/charts.js';
import { CONTEXT, exampleResult } from './helpers.js';

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('HTML report', () => {
  it('allows exactly its own inline style and script, and nothing from anywhere', async () => {
    const html = Array.from(htmlFormatter.format(await exampleResult(), CONTEXT)).join('');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(csp).toContain(`script-src ${hash(script)}`);
    expect(csp).not.toContain('unsafe-inline');
    // Nothing is loaded from anywhere: no src at all beyond data:, and the only external hrefs are
    // documentation links a reader clicks, opened without referrer or opener.
    expect(html).not.toMatch(/\bsrc="(?!data:)/);
    const external = html.replace(/http:\/\/www\.w3\.org\/2000\/svg/g, '').match(/<[^>]*\bhref="(https?:)?\/\/[^>]*>/g) ?? [];
    expect(external.length).toBeGreaterThan(0);
    for (const tag of external) expect(tag).toMatch(/^<a href="https:\/\/[^"]+" target="_blank" rel="noopener noreferrer">$/);
  });

  it('embeds the findings once, escaped so no name can close the script block', () => {
    const text = jsonForScript({ name: '</script><!-- \u2028 & >' });
    expect(text).not.toMatch(/<|>|&|\u2028/);
    // The page shows the line separator as a visible escape, never as the raw character.
    expect(JSON.parse(text)).toEqual({ name: '</script><!-- \\u2028 & >' });
  });

  it('never shows a control that was not evaluated as passed', async () => {
    const result = await exampleResult();
    const [first, ...rest] = result.rules ?? [];
    if (!first) throw new Error('no rules');
    const rules = [
      {
        ...first,
        frameworks: { ...first.frameworks, 'cis-aws-3.0': ['9.99'] },
        status: 'not-evaluated' as const,
        evaluatedAccounts: 0,
        notEvaluated: [{ accountId: '111111111111', reason: 'needs a live scan: nothing to read' }],
      },
      ...rest,
    ];
    const html = Array.from(
      htmlFormatter.format(
        // A result written before the framework catalogues: the matrix comes from the rules' mappings.
        {
          ...result,
          rules,
          frameworkCoverage: undefined,
          summary: { ...result.summary, byRule: { ...result.summary.byRule, [first.id]: 0 } },
        },
        CONTEXT,
      ),
    ).join('');
    const row = /<tr><th scope="row">9\.99<\/th>[\s\S]*?<\/tr>/.exec(html)?.[0] ?? '';
    expect(row).toContain('not evaluated');
    expect(row).not.toContain('passed');
    expect(row).toContain('needs a live scan: nothing to read');
  });

  it('draws five charts, each with a title, a description and a table of the same numbers', async () => {
    const result = await exampleResult();
    const charts = reportCharts(result);
    expect(charts.map((c) => c.title)).toEqual([
      'Open findings by account and severity',
      'Access keys with a finding, by age',
      'Credentials with a finding about their last use, by days unused',
      'IAM users with and without a recovery path',
      'Open findings by credential kind',
    ]);
    for (const chart of charts) {
      expect(chart.svg).toMatch(/<title id="[^"]+-t">/);
      expect(chart.svg).toMatch(/<desc id="[^"]+-d">/);
      expect(chart.table.rows.length).toBeGreaterThan(0);
    }
    const byAccount = charts[0]?.table.rows.find((r) => String(r[0]).includes('222222222222'));
    expect(byAccount?.slice(1).reduce((n: number, v) => n + Number(v), 0)).toBe(
      result.findings.filter((f) => f.accountId === '222222222222' && f.status === 'open').length,
    );
    // The key-age chart marks the rotation threshold of the rule that reports key ages.
    expect(charts[1]?.svg).toContain('rotate after 90 d');
  });

  describe('the key-age threshold comes from what the rules declare, never from a parameter name', () => {
    /** The example result with the rule that reports key ages changed by `edit`. */
    async function withKeyAgeRule(edit: (rule: ScanResult['rules'][number]) => ScanResult['rules'][number]): Promise<string> {
      const result = await exampleResult();
      const rules = result.rules.map((r) => (r.bounds && Object.values(r.bounds).includes('key.ageDays') ? edit(r) : r));
      return reportCharts({ ...result, rules })[1]?.svg ?? '';
    }

    it('the built-in rule declares which parameter bounds key.ageDays', async () => {
      const rule = (await exampleResult()).rules.find((r) => r.id === 'access-key-not-rotated');
      expect(rule?.bounds).toEqual({ maxAgeDays: 'key.ageDays' });
    });

    it('draws the line from a parameter of any name that declares it bounds key.ageDays', async () => {
      const svg = await withKeyAgeRule(({ bounds: _b, parameters: _p, ...r }) => ({
        ...r,
        parameters: { keyLifetime: 120 },
        bounds: { keyLifetime: 'key.ageDays' },
      }));
      expect(svg).toContain('rotate after 120 d');
    });

    it('draws no line from a parameter called maxAgeDays that declares nothing (or bounds another fact)', async () => {
      expect(await withKeyAgeRule(({ bounds: _b, ...r }) => r)).not.toContain('rotate after');
      expect(await withKeyAgeRule((r) => ({ ...r, bounds: { maxAgeDays: 'cert.ageDays' } }))).not.toContain('rotate after');
    });
  });

  it('counts users of accounts without a recovery analysis as not analysed, never as having a path', async () => {
    const result = await exampleResult();
    const offline: ScanResult = { ...result, accounts: result.accounts.map(({ facts: _facts, ...a }) => a) };
    const recovery = reportCharts(offline)[3];
    const all = recovery?.table.rows[0] ?? [];
    expect(all[0]).toBe('All accounts');
    expect(all[1]).toBe(0);
    expect(Number(all[3])).toBeGreaterThan(0);
  });

  it('claims nothing about resolved findings without a baseline, and states them with one', async () => {
    const result = await exampleResult();
    const { resolved: _resolved, ...noBaseline } = result;
    const without = Array.from(htmlFormatter.format({ ...noBaseline, summary: { ...result.summary, new: undefined } }, CONTEXT)).join('');
    expect(without).not.toMatch(/resolved since the baseline|new since baseline/);
    const withBaseline = Array.from(htmlFormatter.format({ ...result, resolved: [] }, CONTEXT)).join('');
    expect(withBaseline).toContain('0 resolved since the baseline');
  });

  it('links plan documentation only when it is https; anything else stays text', async () => {
    const { linkItem } = await import('../../src/core/format/html/report.js');
    expect(linkItem({ title: 'IAM', url: 'https://docs.aws.amazon.com/IAM/' })).toContain('<a href="https://docs.aws.amazon.com/IAM/"');
    for (const url of ['javascript:alert(1)', 'http://example.com', 'https://x" onclick="y', 'data:text/html,x'])
      expect(linkItem({ title: 't', url })).not.toContain('<a ');
  });

  it('shows long account names whole in the charts: name and id on two lines, never clipped to a stub', async () => {
    const result = await exampleResult();
    const long = 'payments-production-eu-west-1-primary';
    const renamed = { ...result, accounts: result.accounts.map((a) => (a.id === '222222222222' ? { ...a, name: long } : a)) };
    const svg = reportCharts(renamed)[0]?.svg ?? '';
    expect(svg).toContain(`>${long}</tspan>`);
    expect(svg).toContain('>(222222222222)</tspan>');
  });
});
