import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_PROCEDURES, builtInCatalogue } from '../../src/core/remediation/index.js';

const catalogue = builtInCatalogue();
const ruleFiles = readdirSync(join(process.cwd(), 'rules')).filter((f) => f.endsWith('.yaml'));

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
  it('holds the procedures the rules, the recovery paths and lost credentials need', () => {
    const needed = [
      'delete-root-access-key', 'enable-root-mfa', 'enable-root-hardware-mfa', 'stop-using-root', 'reset-root-password',
      'enable-user-mfa', 'reset-user-password', 'remove-unused-access-key', 'disable-unused-credential',
      'finish-access-key-rotation', 'rotate-access-key', 'delete-inactive-access-key', 'replace-lost-user-access-key',
      'rotate-signing-certificate', 'establish-recovery-path', 'add-second-administrator', 'fix-password-expiry-lockout',
    ];
    for (const id of needed) expect(catalogue.has(id), id).toBe(true);
  });

  it.each(BUILT_IN_PROCEDURES.map((p) => [p.id, p] as const))('%s is complete and links to AWS documentation', (_id, p) => {
    expect(p.title).not.toBe('');
    expect(p.steps.length).toBeGreaterThan(0);
    expect(p.verification.length).toBeGreaterThan(0);
    expect(p.links.length).toBeGreaterThan(0);
    for (const link of p.links) expect(link.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    for (const command of [...p.steps, ...(p.alternatives ?? []).flatMap((a) => a.steps)].flatMap((s) => s.commands ?? [])) {
      expect(command).toMatch(/^aws (iam|sts|cloudtrail) /);
    }
  });

  it('gives the root user only root or management-account steps', () => {
    for (const p of BUILT_IN_PROCEDURES.filter((x) => x.appliesTo.includes('root'))) {
      const rootSteps = p.steps.filter((s) => s.for !== 'user');
      for (const s of rootSteps) expect([s.actor ?? p.actor], `${p.id}/${s.id}`).not.toContain('iam-user');
    }
  });

  it('describes the root password reset with the facts AWS gives', () => {
    const text = JSON.stringify(catalogue.get('reset-root-password'));
    for (const fact of ['Forgot your password?', 'CAPTCHA', '@amazon.com', '@aws.amazon.com', 'spam', 'IAMCreateRootUserPassword', 'IAMDeleteRootUserCredentials', 'assume-root']) {
      expect(text).toContain(fact);
    }
  });

  it('never sends an IAM user to "Forgot your password?"', () => {
    const reset = catalogue.get('reset-user-password')!;
    for (const step of reset.steps) expect(step.text).not.toMatch(/forgot your password/i);
    expect(reset.steps[0]!.commands).toEqual([
      'aws iam update-login-profile --user-name {user} --password <TEMPORARY_PASSWORD> --password-reset-required',
      'aws iam create-login-profile --user-name {user} --password <TEMPORARY_PASSWORD> --password-reset-required',
    ]);
  });

  it('deactivates before deleting in every key retirement', () => {
    for (const id of ['remove-unused-access-key', 'disable-unused-credential', 'rotate-access-key', 'finish-access-key-rotation']) {
      const ids = catalogue.get(id)!.steps.filter((s) => s.only?.includes('access_key')).map((s) => s.id);
      expect(ids.indexOf('deactivate-key'), id).toBeGreaterThan(-1);
      expect(ids.indexOf('deactivate-key'), id).toBeLessThan(ids.indexOf('delete-key'));
      expect(ids.indexOf('resolve-key-ids'), id).toBe(0);
    }
  });
});
