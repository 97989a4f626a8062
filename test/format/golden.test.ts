import { describe, expect, it } from 'vitest';
import { findFormatter } from '../../src/core/format/registry.js';
import { formatJobSummary } from '../../src/core/format/github.js';
import { renderToString } from '../../src/core/format/types.js';
import { CONTEXT, exampleResult, expectGolden } from './helpers.js';

// Golden files for the example organisation: any change to a report's text shows
// up as a diff to review. Regenerate with `UPDATE_GOLDEN=1 npx vitest run test/format`.
describe('golden reports of the example organisation', () => {
  it.each([
    ['csv', 'example-org.csv'],
    ['markdown', 'example-org.md'],
    ['sarif', 'example-org.sarif'],
    ['junit', 'example-org.junit.xml'],
    ['github', 'example-org.github.txt'],
  ])('%s', async (format, file) => {
    const formatter = findFormatter(format);
    if (!formatter) throw new Error(`format ${format} is not registered`);
    const text = renderToString(formatter.format(await exampleResult(), CONTEXT));
    // The plans come from the remediation planner, which has its own tests; keep
    // them out of the golden file so plan wording changes do not churn it.
    expectGolden(
      file,
      format === 'markdown' ? text.replace(planSection(text), '## Remediation plans\n\n(see the planner tests)\n\n') : text,
    );
  });

  it('markdown embeds the remediation plans of every principal with open findings', async () => {
    const result = await exampleResult();
    const text = renderToString(findFormatter('markdown')?.format(result, CONTEXT) ?? []);
    const plans = planSection(text);
    const principals = new Set(
      result.findings.filter((f) => f.status === 'open' && f.principal.type === 'user').map((f) => f.principal.name),
    );
    for (const name of principals) expect(plans).toContain(`IAM user \`${name}\``);
    expect(plans).toMatch(/^## Remediation plans\n\n> credwarden never executes these plans/);
  });

  it('GitHub job summary', async () => {
    expectGolden('example-org.summary.md', renderToString(formatJobSummary(await exampleResult(), CONTEXT)));
  });
});

/** The "## Remediation plans" section of the Markdown report, up to the next top-level section. */
function planSection(markdown: string): string {
  const start = markdown.indexOf('## Remediation plans\n');
  if (start < 0) return '';
  const next = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, next < 0 ? undefined : next + 1);
}
