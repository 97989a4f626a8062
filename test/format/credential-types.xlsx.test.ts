/** --format xlsx shows every credential type beyond the credential report on its Findings, Targets and Controls sheets (issue 22). */
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INACTIVE_CREDENTIAL_ID, NEW_RULES, PLANTED, scanCredentialTypes, secretsIn } from './credential-types.js';

/** Every row of a sheet as header → cell text. */
function rows(sheet: ExcelJS.Worksheet): Record<string, string>[] {
  const headers = Array.from(sheet.getRow(1).values as unknown[], (v) => String(v ?? ''));
  const out: Record<string, string>[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const values = sheet.getRow(r).values as unknown[];
    out.push(
      Object.fromEntries(
        headers.map((h, i) => [h, values[i] instanceof Date ? (values[i] as Date).toISOString() : String(values[i] ?? '')]),
      ),
    );
  }
  return out;
}

describe('credential types in --format xlsx', () => {
  it('has a Findings and a Targets row per planted credential, and the new rules with framework ids on Controls', async () => {
    const run = await scanCredentialTypes('xlsx');
    expect(run.code, run.stderr).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(join(run.dir, 'credwarden.xlsx')) as unknown as ArrayBuffer);
    const findings = rows(workbook.getWorksheet('Findings')!);
    const targets = rows(workbook.getWorksheet('Targets')!);
    const controls = rows(workbook.getWorksheet('Controls')!);
    for (const planted of PLANTED) {
      const finding = findings.find((r) => r.Rule === planted.ruleId && r.ARN === planted.principalArn);
      expect(finding, `${planted.ruleId} ${planted.principalArn}`).toMatchObject({
        Account: planted.accountId,
        Principal: planted.principalName,
        Credential: planted.credential ?? '',
        'Remediation procedure': planted.procedure,
        Status: 'open',
      });
      if (planted.id) expect(finding?.Evidence).toContain(planted.id);
      const target = targets.find((r) => r.Rule === planted.ruleId && r.ARN === planted.principalArn);
      expect(target, `target ${planted.ruleId}`).toMatchObject({ Procedure: planted.procedure, Credential: planted.credential ?? '' });
    }
    for (const rule of NEW_RULES) expect(controls.find((c) => c.Rule === rule)?.Status, rule).toBe('failed');
    const control = (rule: string) => controls.find((c) => c.Rule === rule)!;
    expect(control('password-policy-missing')).toMatchObject({ 'CIS AWS 3.0': '1.8 1.9', 'Security Hub': 'IAM.7 IAM.15 IAM.16' });
    expect(control('password-policy-min-length')).toMatchObject({ 'CIS AWS 3.0': '1.8', 'Security Hub': 'IAM.15' });
    expect(control('password-policy-reuse-prevention')).toMatchObject({ 'CIS AWS 3.0': '1.9', 'Security Hub': 'IAM.16' });
    expect(control('password-policy-weak')).toMatchObject({ 'Security Hub': 'IAM.7' });
    expect(control('expired-server-certificate')).toMatchObject({ 'CIS AWS 3.0': '1.19', 'CIS AWS 5.0': '1.18' });
    const everything = JSON.stringify([findings, targets, controls, rows(workbook.getWorksheet('Summary')!)]);
    expect(everything).not.toContain(INACTIVE_CREDENTIAL_ID);
    expect(secretsIn(everything)).toEqual([]);
  });
});
