import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Procedure } from '../../src/core/remediation/index.js';
import { builtInCatalogue } from './helpers.js';

const catalogue = builtInCatalogue();
const procedures: Procedure[] = [...catalogue.values()];
const ruleFiles = readdirSync(join(process.cwd(), 'rules')).filter((f) => f.endsWith('.yaml'));
/** The only commands that call no AWS service: reading a secret without echo, and forgetting it. */
const SECRET_PLUMBING = [/^printf '[^']*'; IFS= read -rs [A-Z_]+; echo$/, /^unset [A-Z_]+$/];
const stepsOf = (p: Procedure) => [...p.steps, ...(p.alternatives ?? []).flatMap((a) => a.steps)];

describe('every built-in rule maps to a procedure', () => {
  it('finds the rule files', () => {
    expect(ruleFiles.length).toBeGreaterThanOrEqual(10);
  });

  it.each(ruleFiles)('%s names a procedure of the catalogue', (file) => {
    const rule = parse(readFileSync(join(process.cwd(), 'rules', file), 'utf8')) as { remediation?: { procedure?: string } };
    const procedure = rule.remediation?.procedure;
    expect(procedure, `${file} has no remediation.procedure`).toBeTypeOf('string');
    expect([...catalogue.keys()], `${file} names '${procedure}', which is not in the catalogue`).toContain(procedure);
  });
});

describe('the catalogue', () => {
  it('is read from procedures/<id>.yaml, one procedure per file', () => {
    const files = readdirSync(join(process.cwd(), 'procedures'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/\.yaml$/, ''));
    expect([...catalogue.keys()].sort()).toEqual(files.sort());
    for (const p of procedures) expect(p.source).toBe(`procedures/${p.id}.yaml`);
  });

  it('holds the procedures the rules, the recovery paths and lost credentials need', () => {
    const needed = [
      'delete-root-access-key',
      'enable-root-mfa',
      'enable-root-hardware-mfa',
      'stop-using-root',
      'reset-root-password',
      'enable-user-mfa',
      'reset-user-password',
      'remove-unused-access-key',
      'disable-unused-credential',
      'finish-access-key-rotation',
      'rotate-access-key',
      'delete-inactive-access-key',
      'replace-lost-user-access-key',
      'rotate-signing-certificate',
      'establish-recovery-path',
      'add-second-administrator',
      'fix-password-expiry-lockout',
      'quarantine-compromised-access-key',
      'replace-lost-user-mfa',
      'recover-root-mfa',
    ];
    for (const id of needed) expect(catalogue.has(id), id).toBe(true);
  });

  it.each(procedures.map((p) => [p.id, p] as const))('%s is complete and links to AWS documentation', (_id, p) => {
    expect(p.title).not.toBe('');
    expect(p.steps.length).toBeGreaterThan(0);
    expect(p.verification.length).toBeGreaterThan(0);
    expect(p.links.length).toBeGreaterThan(0);
    for (const link of p.links) expect(link.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    for (const command of stepsOf(p).flatMap((s) => s.commands ?? [])) {
      if (SECRET_PLUMBING.some((line) => line.test(command))) continue;
      expect(command).toMatch(/^(?:.*\| )?aws (iam|sts|cloudtrail|elb|elbv2|cloudfront) /);
    }
  });

  it('writes every ARN in the account partition, never a hard-coded arn:aws:', () => {
    for (const p of procedures) {
      for (const text of [...stepsOf(p).flatMap((s) => [s.text, ...(s.commands ?? [])]), ...(p.verifyCommands ?? [])])
        expect(text, p.id).not.toContain('arn:aws:');
    }
  });

  it('gives the root user only root, auditor or management-account steps', () => {
    // An account-wide procedure (scope: account) sits on the root row only as the account's anchor.
    for (const p of procedures.filter((x) => x.appliesTo.includes('root') && x.scope !== 'account')) {
      for (const s of p.steps.filter((step) => step.for !== 'user'))
        expect(['root', 'auditor', 'management-account'], `${p.id}/${s.id}`).toContain(s.actor ?? p.actor);
    }
  });

  it('describes the root password reset with the facts AWS gives', () => {
    const text = JSON.stringify(catalogue.get('reset-root-password'));
    for (const fact of [
      'Forgot your password?',
      'CAPTCHA',
      '@amazon.com',
      '@aws.amazon.com',
      'spam',
      'IAMCreateRootUserPassword',
      'IAMDeleteRootUserCredentials',
      'assume-root',
    ]) {
      expect(text).toContain(fact);
    }
  });

  it('resets an IAM user password with update-login-profile, never with the password on the command line', () => {
    const reset = catalogue.get('reset-user-password')!;
    for (const step of reset.steps) expect(step.text).not.toMatch(/forgot your password/i);
    const update = reset.steps.find((s) => s.id === 'admin-reset-password')!.commands!;
    const create = reset.steps.find((s) => s.id === 'admin-create-password')!.commands!;
    expect(update.join()).not.toContain('create-login-profile');
    expect(reset.steps.find((s) => s.id === 'admin-create-password')!.text).toMatch(/NoSuchEntity/);
    for (const [commands, verb] of [
      [update, 'update-login-profile'],
      [create, 'create-login-profile'],
    ] as const) {
      // Read without echo, handed over on standard input, then forgotten: never a --password argument.
      expect(commands.join('\n')).not.toMatch(/--password\b|<TEMPORARY_PASSWORD>/);
      const read = commands.findIndex((c) => /read -rs TEMP_PASSWORD/.test(c));
      const use = commands.findIndex((c) => c.includes(`aws iam ${verb} --user-name {{user}} --cli-input-json file:///dev/stdin`));
      const forget = commands.indexOf('unset TEMP_PASSWORD');
      expect(read).toBeGreaterThan(-1);
      expect(use).toBeGreaterThan(read);
      expect(forget).toBeGreaterThan(use);
      expect(commands[use]).toContain('PasswordResetRequired: true');
    }
  });

  it('deactivates before deleting in every key retirement', () => {
    for (const p of procedures.filter(
      (x) => x.handles.some((h) => h === 'retire-key' || h === 'rotate-key' || h === 'finish-key-rotation') && x.appliesTo.includes('user'),
    )) {
      const roles = p.steps.filter((s) => s.only?.includes('access_key') && s.for !== 'root').map((s) => s.role);
      expect(roles.indexOf('deactivate'), p.id).toBeGreaterThan(-1);
      expect(roles.indexOf('deactivate'), p.id).toBeLessThan(roles.indexOf('delete'));
      expect(roles.indexOf('resolve-ids'), p.id).toBe(0);
    }
  });

  it('never tells anyone to create a root access key', () => {
    for (const p of procedures)
      for (const s of stepsOf(p).filter((x) => x.for === 'root' || x.actor === 'root'))
        expect(s.text, `${p.id}/${s.id}`).not.toMatch(/create a new root (access )?key first/i);
    expect(catalogue.get('delete-root-access-key')!.steps.find((s) => s.id === 'root-move-consumers')!.text).toMatch(
      /Never create another root access key.*waiver/,
    );
  });

  it('contains a compromised key without the week-long observation', () => {
    const q = catalogue.get('quarantine-compromised-access-key')!;
    expect(q.handles).toEqual(['quarantine-key']);
    expect(q.steps.map((s) => s.role)).not.toContain('observe');
    expect(q.steps.flatMap((s) => s.commands ?? [])).toContain(
      'aws iam attach-user-policy --user-name {{user}} --policy-arn arn:{{partition}}:iam::aws:policy/AWSCompromisedKeyQuarantineV3',
    );
    expect(JSON.stringify(q)).toMatch(/90 days of management events, in the one region you query, and no data events/);
  });

  it('grants MFA and complete reset permissions when it adds a recovery path or a second administrator', () => {
    for (const id of ['establish-recovery-path', 'add-second-administrator']) {
      const text = catalogue
        .get(id)!
        .steps.map((s) => s.text)
        .join(' ');
      for (const action of ['iam:UpdateLoginProfile', 'iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:DeactivateMFADevice'])
        expect(text, `${id} ${action}`).toContain(action);
    }
  });

  it('recovers a lost IAM user MFA device by deactivating it, and a lost root device by another device or email and phone', () => {
    const user = JSON.stringify(catalogue.get('replace-lost-user-mfa'));
    expect(user).toContain('aws iam deactivate-mfa-device --user-name {{user}} --serial-number <MFA_SERIAL_NUMBER>');
    expect(user).toMatch(/ResyncMFADevice is for a device whose codes drift/);
    const root = JSON.stringify(catalogue.get('recover-root-mfa'));
    for (const fact of ['up to eight', 'email address', 'phone', 'AWS Support']) expect(root).toContain(fact);
  });
});

describe('the planner holds no procedure or step id', () => {
  const sources = ['planner.ts', 'decide.ts', 'blocks.ts', 'assemble.ts', 'facts.ts', 'template.ts'].map(
    (f) => [f, readFileSync(join(process.cwd(), 'src/core/remediation', f), 'utf8')] as const,
  );
  const ids = new Set([...procedures.map((p) => p.id), ...procedures.flatMap((p) => stepsOf(p).map((s) => s.id))]);

  it.each(sources)('%s names none of them', (_file, text) => {
    const quoted = [...text.matchAll(/['"`]([a-z0-9]+(?:-[a-z0-9]+)+)['"`]/g)].map((m) => m[1]!);
    expect(quoted.filter((q) => ids.has(q))).toEqual([]);
  });
});
