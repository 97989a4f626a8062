import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, formatCsv } from '../../src/core/format/csv.js';
import { renderToString } from '../../src/core/format/types.js';
import { exampleResult } from './helpers.js';

function rows(text: string): Record<string, string>[] {
  return parse(text, { columns: true }) as Record<string, string>[];
}

describe('CSV columns for auditors (issue 21 item 3)', () => {
  it('appends as_of, rule_title, ou_path and controls after the existing columns', () => {
    expect(CSV_COLUMNS.slice(-5).map((c) => c.header)).toEqual(['fingerprint', 'as_of', 'rule_title', 'ou_path', 'controls']);
  });

  it("gives each row its account's as-of, its rule's title, its OU path and every framework control", async () => {
    const result = await exampleResult();
    const accounts = result.accounts.map((a, i) => ({ ...a, ouPath: i === 0 ? '=Root/Prod' : `Root/Workloads/${a.id}` }));
    const parsed = rows(renderToString(formatCsv({ ...result, asOf: null, accounts })));
    expect(parsed).toHaveLength(result.findings.length);
    for (const row of parsed) {
      const account = accounts.find((a) => a.id === row.account);
      expect(row.as_of).toBe(account?.asOf ?? account?.reportGeneratedTime);
      expect(row.ou_path).toBe(account?.id === accounts[0]?.id ? "'=Root/Prod" : `Root/Workloads/${row.account}`);
      const finding = result.findings.find((f) => f.fingerprint === row.fingerprint);
      expect(row.rule_title).toBe(finding?.title);
    }
    const mfa = parsed.find((r) => r.rule === 'console-user-without-mfa');
    expect((mfa?.controls ?? '').split(' ')).toEqual(expect.arrayContaining(['cis-aws-3.0:1.10', 'aws-security-hub:IAM.5']));
  });
});
