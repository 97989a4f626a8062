import { describe, expect, it } from 'vitest';
import { IDENTITY_CENTER_NOTE, planFindings } from '../../src/core/remediation/index.js';
import { renderPlansJson, renderPlansMarkdown } from '../../src/core/format/plans/render.js';
import { builtInCatalogue, finding, keyEvidence, result } from './helpers.js';

// Real IAM names only use [A-Za-z0-9+=,.@_-]; these come from a tampered report.
const hostile = 'eve$(curl evil)<img src=x>`\n# heading';
const catalogue = builtInCatalogue();

describe('rendering untrusted names', () => {
  const set = planFindings(
    result([finding('access-key-not-rotated', 'rotate-access-key', 'access_key_1', keyEvidence(120, 2), { name: hostile })]),
    catalogue,
  );
  const markdown = renderPlansMarkdown(set);

  it('shell-quotes values in commands, so a copied command cannot run anything else', () => {
    const commands = set.accounts[0]!.plans[0]!.steps.flatMap((s) => s.commands);
    expect(commands).toContain("aws iam create-access-key --user-name=$'eve$(curl evil)<img src=x>`\\x0a# heading'");
    expect(commands).toContain('aws iam get-access-key-last-used --access-key-id <ACCESS_KEY_ID_1>');
    expect(commands.filter((c) => c.includes('\n'))).toEqual([]);
  });

  it('keeps Markdown free of raw HTML and injected headings', () => {
    // Code blocks and code spans show text verbatim; everywhere else '<' must be escaped.
    const prose = markdown.replace(/```sh[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
    expect(prose).not.toContain('<img');
    expect(prose).toContain('&lt;img');
    expect(markdown).not.toMatch(/^# heading/m);
    expect(markdown).toContain("## 1. IAM user `eve$(curl evil)<img src=x>' # heading` — account 123456789012 (test)");
  });

  it('shows placeholders in prose as code, which every Markdown viewer prints as it is', () => {
    expect(markdown).toContain('wherever a command below says `<ACCESS_KEY_ID_1>`');
    expect(markdown).not.toContain('&lt;ACCESS_KEY_ID_1&gt;');
  });

  it('in a terminal, writes prose without HTML entities', () => {
    const terminal = renderPlansMarkdown(set, { terminal: true });
    expect(terminal).toContain('wherever a command below says <ACCESS_KEY_ID_1>');
    expect(terminal).not.toMatch(/&lt;|&gt;|&amp;/);
    expect(terminal).not.toMatch(/^# heading/m);
  });

  it('renders JSON that parses back to the plan set', () => {
    expect(JSON.parse(renderPlansJson(set))).toEqual(set);
  });

  it('embeds under a host document with a deeper heading level and no title', () => {
    const embedded = renderPlansMarkdown(set, { headingLevel: 2, omitTitle: true });
    expect(embedded).toContain('\n### Index\n');
    expect(embedded).toContain('\n### 1. IAM user');
    expect(embedded).not.toContain('Remediation plans');
  });

  it('says when nothing needs a plan', () => {
    expect(renderPlansMarkdown(planFindings(result([]), catalogue))).toContain('No open findings need a plan.');
  });
});

describe('a plan file the engineer can run', () => {
  const findings = [
    {
      ...finding('access-key-not-rotated', 'rotate-access-key', 'access_key_1', keyEvidence(120, 2), { name: 'amy' }),
      severity: 'medium' as const,
    },
    {
      ...finding('root-access-key-exists', 'delete-root-access-key', 'access_key_1', keyEvidence(400, 3), { type: 'root' }),
      severity: 'critical' as const,
    },
    { ...finding('console-user-without-mfa', 'enable-user-mfa', 'password', {}, { name: 'bob' }), severity: 'high' as const },
  ];
  const set = planFindings(result(findings), catalogue);
  const markdown = renderPlansMarkdown(set);

  it('orders plans by the highest severity they cover, critical first, and starts with an index', () => {
    expect(set.accounts[0]!.plans.map((p) => p.principal.name)).toEqual(['<root_account>', 'bob', 'amy']);
    const index = markdown.indexOf('## Index');
    expect(index).toBeGreaterThan(-1);
    expect(index).toBeLessThan(markdown.indexOf('## 1.'));
    expect(markdown).toMatch(
      /\| 1 \| critical \| 123456789012 \(test\) \| Root user \| 1 \|\n\| 2 \| high \| 123456789012 \(test\) \| IAM user `bob` \| 1 \|\n\| 3 \| medium \|/,
    );
  });

  it('starts every plan with its account and a check that stops in any other account', () => {
    const plan = set.accounts[0]!.plans[2]!;
    expect(plan.access!.accountId).toBe('123456789012');
    expect(plan.access!.check).toBe(
      '[ "$(aws sts get-caller-identity --query Account --output text)" = "123456789012" ] && echo "OK: account 123456789012" || echo "STOP: these credentials are not for account 123456789012" >&2',
    );
    const section = markdown.slice(markdown.indexOf('## 3. IAM user `amy`'));
    expect(section.indexOf('aws sts get-caller-identity')).toBeLessThan(section.indexOf('**Steps**'));
    expect(section).toContain('**Account** 123456789012 (test). Use credentials for account 123456789012');
  });

  it('says how to get there: the role the scan assumed, or a profile', () => {
    const viaRole = planFindings(result(findings), catalogue, { access: { roleName: 'CredwardenAudit', profile: 'org-admin' } });
    const how = viaRole.accounts[0]!.plans[0]!.access!.how;
    expect(how).toContain('the scan assumed the role CredwardenAudit (arn:aws:iam::123456789012:role/CredwardenAudit)');
    expect(how).toContain('--profile org-admin');
  });

  it('says once, in the plan data and the file, that IAM Identity Center users are not covered', () => {
    expect(set.notes).toEqual([IDENTITY_CENTER_NOTE]);
    expect(IDENTITY_CENTER_NOTE).toContain('https://docs.aws.amazon.com/singlesignon/latest/userguide/resetuserpwd.html');
    expect(markdown.split('IAM Identity Center users are not IAM users').length - 1).toBe(1);
  });
});
