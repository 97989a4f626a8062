import { describe, expect, it } from 'vitest';
import { findFormatter } from '../../src/core/format/registry.js';
import { formatJobSummary } from '../../src/core/format/github.js';
import { renderToString } from '../../src/core/format/types.js';
import { formatControlsCsv } from '../../src/core/format/csv.js';
import { CONTEXT, scanResult } from './helpers.js';

// Issue 19 item 1: payments-prod's root key is waived (SEC-101). CIS 3.0 1.4 / Security Hub
// IAM.4 must read "accepted", with the expiry and the approver, in every format: never passed.
const waivedScan = () => scanResult('examples/org', ['--as-of', '2026-11-01T12:00:00Z', '--waivers', 'reports/examples/waivers.yaml']);
const render = async (format: string) => renderToString(findFormatter(format)!.format(await waivedScan(), CONTEXT));
const ACCEPTED = 'failed, exception accepted until 2026-12-31 by ciso@example.com (SEC-101)';

describe('a control whose only findings are waived is accepted, never passed', () => {
  it('JSON: the rule status', async () => {
    const result = await waivedScan();
    expect(result.rules.find((r) => r.id === 'root-access-key-exists')?.status).toBe('accepted');
  });

  it('HTML: CIS 3.0 1.4, CIS 5.0 1.3 and IAM.4 rows', async () => {
    const html = await render('html');
    for (const id of ['1.4', '1.3', 'IAM.4']) {
      const rows = [...html.matchAll(new RegExp(`<tr><th scope="row">${id.replace('.', '\\.')}</th>[\\s\\S]*?</tr>`, 'g'))].map(
        (m) => m[0],
      );
      const row = rows.find((r) => r.includes('root-access-key-exists'))!;
      expect(row).toContain('accepted');
      expect(row).toContain(ACCEPTED);
      expect(row).not.toContain('passed');
    }
  });

  it('Markdown and the job summary: rule matrix and framework matrices', async () => {
    const md = await render('markdown');
    const summary = renderToString(formatJobSummary(await waivedScan(), CONTEXT));
    for (const text of [md, summary]) {
      const lines = text.split('\n');
      const rule = lines.find((l) => l.startsWith('| `root-access-key-exists`'))!;
      expect(rule).toContain('🟠 accepted');
      expect(rule).toContain(ACCEPTED);
      expect(rule).not.toContain('passed');
      expect(lines.find((l) => l.startsWith('| CIS 3.0 1.4 '))).toContain('accepted');
      expect(lines.find((l) => l.startsWith('| Security Hub IAM.4 '))).toContain(ACCEPTED);
    }
  });

  it('text, SARIF, JUnit, GitHub annotations and credwarden-controls.csv', async () => {
    expect(await render('text')).toMatch(/root-access-key-exists +accepted +failed, exception accepted until 2026-12-31/);
    const sarif = JSON.parse(await render('sarif'));
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications as { descriptor: { id: string }; message: { text: string } }[];
    expect(notes.find((n) => n.descriptor.id === 'rule-not-passed')?.message.text).toContain(ACCEPTED);
    const junit = await render('junit');
    expect(junit).toMatch(/name="root-access-key-exists[^"]*"><skipped message="accepted: failed, exception accepted until 2026-12-31/);
    expect(await render('github')).toContain('no open finding but not passed: root-access-key-exists (accepted)');
    const csv = renderToString(formatControlsCsv(await waivedScan()));
    const row = csv.split('\n').find((l) => l.startsWith('root-access-key-exists,'))!;
    expect(row).toContain(',accepted,');
    expect(row).toContain(ACCEPTED);
  });
});
