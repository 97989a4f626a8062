import {
  GenerateCredentialReportCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  ListVirtualMFADevicesCommand,
} from '@aws-sdk/client-iam';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { REPORT_COLUMNS } from '../../src/core/report/columns.js';
import { parseCredentialReport } from '../../src/core/report/parse.js';
import { InputError } from '../../src/model/index.js';
import { generateOrganization, generateUsersCsv, loadFixture } from '../../src/sandbox/index.js';
import { assume, failure, iam, organizations, sandbox, sts } from './helpers.js';

const demoPath = fileURLToPath(new URL('../../examples/sandbox/demo-org.json', import.meta.url));

describe('fixtures', () => {
  test('the demo organisation loads and serves the saved example reports', async () => {
    const fixture = loadFixture(demoPath);
    const box = await sandbox({ fixture });
    const accounts = (await organizations(box).send(new ListAccountsCommand({}))).Accounts ?? [];
    expect(accounts.some((a) => a.Status === 'SUSPENDED')).toBe(true);
    expect(accounts.find((a) => a.Id === fixture.managementAccountId)?.Name).toBe('management');
    for (const account of fixture.accounts.filter((a) => a.status !== 'SUSPENDED' && a.report?.state !== 'absent')) {
      const keys = account.id === fixture.managementAccountId ? undefined : await assume(box, account.id);
      const report = await iam(box, keys).send(new GetCredentialReportCommand({}));
      const parsed = parseCredentialReport(Buffer.from(report.Content ?? []).toString('utf8'), account.id);
      expect(parsed.accountId).toBe(account.id);
    }
    const payments = await assume(box, '222222222222');
    expect((await iam(box, payments).send(new GetAccountSummaryCommand({}))).SummaryMap?.['AccountAccessKeysPresent']).toBe(1);
    expect((await iam(box, payments).send(new ListVirtualMFADevicesCommand({}))).VirtualMFADevices).toEqual([]);
  });

  test('the faulty organisation carries its own faults; options override them', async () => {
    const fixture = loadFixture(fileURLToPath(new URL('../../examples/sandbox/faulty-org.yaml', import.meta.url)));
    const box = await sandbox({ fixture });
    const client = sts(box);
    let throttled = 0;
    for (let i = 0; i < 100; i++)
      await client.send(new GetCallerIdentityCommand({})).catch((e: Error) => (throttled += e.name === 'Throttling' ? 1 : 0));
    expect(throttled).toBeGreaterThan(15);
    expect(throttled).toBeLessThan(45);
    const calm = await sandbox({ fixture, faults: { throttleProbability: 0 } });
    expect((await failure(() => assume(calm, '333333333333'))).name).toBe('AccessDenied');
    const keys = await assume(calm, '222222222222');
    const states = [];
    for (let i = 0; i < 4; i++) states.push((await iam(calm, keys).send(new GenerateCredentialReportCommand({}))).State);
    expect(states).toEqual(['STARTED', 'INPROGRESS', 'INPROGRESS', 'COMPLETE']);
  });

  test('loadFixture reports every problem with its line and JSON pointer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-fixture-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      [
        'managementAccountId: "123"',
        'organizationId: o-abc',
        'accounts:',
        '  - id: "111111111111"',
        '    name: a',
        '    ou: Nowhere',
        '    report: { file: missing.csv }',
        '  - id: "111111111111"',
        '    name: b',
        '    status: GONE',
        '',
      ].join('\n'),
    );
    let thrown: unknown;
    try {
      loadFixture(file);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    const diagnostics = (thrown as InputError).diagnostics;
    const byPointer = Object.fromEntries(diagnostics.map((d) => [d.pointer, d]));
    expect(Object.keys(byPointer).sort()).toEqual(
      [
        '/accounts/0/ou',
        '/accounts/0/report/file',
        '/accounts/1/id',
        '/accounts/1/status',
        '/managementAccountId',
        '/organizationId',
      ].sort(),
    );
    expect(byPointer['/accounts/1/status']?.line).toBe(10);
    expect(byPointer['/accounts/0/ou']?.message).toContain('Nowhere');
  });

  test('unknown properties are reported with a suggestion', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-fixture-'));
    const file = join(dir, 'typo.json');
    const fixture = {
      managementAccountId: '111111111111',
      organizationId: 'o-abcdefghij',
      accounts: [{ id: '111111111111', name: 'm', fault: { denyAssumeRole: true } }],
    };
    writeFileSync(file, JSON.stringify(fixture, null, 2));
    const error = (() => {
      try {
        loadFixture(file);
      } catch (e) {
        return e as InputError;
      }
      throw new Error('expected an InputError');
    })();
    expect(error.diagnostics).toEqual([
      expect.objectContaining({
        pointer: '/accounts/0/fault',
        message: "unknown property 'fault'",
        suggestion: "did you mean 'faults'?",
        line: 8,
      }),
    ]);
  });

  test('an unreadable fixture is an InputError, not a crash', () => {
    expect(() => loadFixture('/nonexistent/fixture.json')).toThrow(InputError);
  });
});

describe('generator', () => {
  test('generateOrganization is deterministic and spreads accounts over OUs', () => {
    const a = generateOrganization({ accounts: 50, usersPerAccount: 10, seed: 42, suspendedAccounts: 2 });
    const b = generateOrganization({ accounts: 50, usersPerAccount: 10, seed: 42, suspendedAccounts: 2 });
    expect(a).toEqual(b);
    expect(a.accounts).toHaveLength(50);
    expect(new Set(a.accounts.map((x) => x.id)).size).toBe(50);
    expect(a.accounts.filter((x) => x.status === 'SUSPENDED')).toHaveLength(2);
    expect(new Set(a.accounts.map((x) => x.ou)).size).toBeGreaterThan(3);
  });

  test('generated reports are valid 22-column credential reports with a mix of states', () => {
    const generatedAt = Date.parse('2026-11-27T03:00:00Z');
    const csv = generateUsersCsv({ accountId: '123456789012', users: 300, seed: 5, generatedAt });
    expect(csv).toBe(generateUsersCsv({ accountId: '123456789012', users: 300, seed: 5, generatedAt }));
    expect(csv.split('\n')[0]).toBe(REPORT_COLUMNS.join(','));
    const parsed = parseCredentialReport(csv, 'generated');
    expect(parsed.principals).toHaveLength(301);
    const rows = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    expect(rows.every((r) => r.length === 22)).toBe(true);
    const share = (test: (r: string[]) => boolean) => rows.filter(test).length / rows.length;
    expect(share((r) => r[3] === 'true')).toBeGreaterThan(0.3); // console users
    expect(share((r) => r[3] === 'true' && r[7] === 'false')).toBeGreaterThan(0.05); // console without MFA
    expect(share((r) => r[8] === 'true')).toBeGreaterThan(0.3); // active first keys
    expect(share((r) => r[13] === 'true')).toBeGreaterThan(0.02); // second keys
    expect(share((r) => r[8] === 'true' && r[10] === 'N/A')).toBeGreaterThan(0.01); // never-used keys
    // Nothing in a report postdates its generation.
    const dates = rows.flat().filter((cell) => /^\d{4}-\d\d-\d\dT/.test(cell));
    expect(dates.every((d) => Date.parse(d) <= generatedAt)).toBe(true);
  });

  test('a generated report moves with its GeneratedTime, whatever report was generated before', () => {
    // The date parts are shared between reports of one GeneratedTime: each report must still get its own.
    const at = Date.parse('2026-11-27T03:00:00Z');
    const later = at + 10 * 86_400_000;
    const report = (generatedAt: number, accountId = '123456789012') => generateUsersCsv({ accountId, users: 50, seed: 5, generatedAt });
    const dates = (csv: string) => csv.split(/[\n,]/).filter((cell) => /^\d{4}-\d\d-\d\dT/.test(cell));
    const first = report(at);
    report(at, '210987654321');
    const moved = report(later);
    // The same draws, ten days later: every date moves by exactly ten days.
    expect(dates(moved).map((d) => Date.parse(d) - 10 * 86_400_000)).toEqual(dates(first).map((d) => Date.parse(d)));
    expect(report(at)).toBe(first);
  });

  test('generated organisations can start without reports, to exercise generation', async () => {
    const box = await sandbox({
      fixture: generateOrganization({ accounts: 3, usersPerAccount: 2, reports: { state: 'absent' } }),
      faults: { reportPolls: 2 },
    });
    const client = iam(box, await assume(box, '100000000002'));
    expect((await failure(() => client.send(new GetCredentialReportCommand({})))).name).toBe('CredentialReportNotPresentException');
    const states = [];
    for (let i = 0; i < 3; i++) states.push((await client.send(new GenerateCredentialReportCommand({}))).State);
    expect(states).toEqual(['STARTED', 'INPROGRESS', 'COMPLETE']);
  });

  test('a generated organisation of 10,000 accounts is served lazily', async () => {
    const fixture = generateOrganization({ accounts: 10_000, usersPerAccount: 100 });
    const box = await sandbox({ fixture });
    const keys = await assume(box, '100000009999');
    const report = await iam(box, keys).send(new GetCredentialReportCommand({}));
    const parsed = parseCredentialReport(Buffer.from(report.Content ?? []).toString('utf8'), 'x');
    expect(parsed.accountId).toBe('100000009999');
    expect(parsed.principals).toHaveLength(101);
  });
});
