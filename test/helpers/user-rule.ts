import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A user rule (the one of docs/rules.md's worked example): keyed users must live under /ci/. */
export const CI_USERS_RULE = [
  'id: ci-users-need-path',
  'title: Programmatic users live under /ci/',
  'description: Users with keys and no password must be under the /ci/ path.',
  'severity: low',
  'appliesTo: [user]',
  'subject: principal',
  'condition:',
  '  all:',
  '    - { fact: password.enabled, eq: false }',
  '    - { some: accessKeys, where: { fact: key.active, eq: true } }',
  '    - { not: { fact: principal.path, eq: /ci/ } }',
  'message: "{{principal.name}} has keys but lives under {{principal.path}}"',
  'remediation: { procedure: rotate-access-key }',
  'frameworks: {}',
  'docs: https://example.com/runbooks/ci-users',
].join('\n');

/** Writes {@link CI_USERS_RULE} into `dir/folder/` and returns that folder. */
export function writeUserRule(dir: string, folder: string): string {
  const rules = join(dir, folder);
  mkdirSync(rules, { recursive: true });
  writeFileSync(join(rules, 'ci-users-need-path.yaml'), CI_USERS_RULE);
  return rules;
}
