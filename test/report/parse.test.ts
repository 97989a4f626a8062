import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCredentialReport } from '../../src/core/report/parse.js';
import { REPORT_COLUMNS } from '../../src/core/report/columns.js';
import { InputError, type Principal } from '../../src/model/index.js';
import { realReportsDir, reportCsv } from '../helpers/reports.js';

function parseError(text: string) {
  try {
    parseCredentialReport(text, 'bad.csv');
  } catch (error) {
    if (error instanceof InputError) return error.diagnostics;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('parseCredentialReport on real AWS reports', () => {
  const files = readdirSync(realReportsDir).filter((f) => f.endsWith('.csv'));

  it('finds every real-world fixture', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it.each(files)('parses %s', (file) => {
    const text = readFileSync(join(realReportsDir, file), 'utf8');
    const report = parseCredentialReport(text, file);
    const rows = text.trim().split('\n').length - 1;
    expect(report.principals).toHaveLength(rows);
    expect(report.accountId).toMatch(/^\d{12}$/);
    expect(report.partition).toBe('aws');
    expect(report.warnings).toEqual([]);
  });

  it('reads the root row with not_supported password fields', () => {
    const file = 'root-with-access-key-and-cert.2016-11-25T143042Z.csv';
    const { principals } = parseCredentialReport(readFileSync(join(realReportsDir, file), 'utf8'), file);
    const root = principals.find((p) => p.type === 'root');
    expect(root).toMatchObject({
      name: '<root_account>',
      arn: 'arn:aws:iam::619193117841:root',
      mfaActive: false,
      password: { enabled: null, lastUsed: '2016-11-25T14:19:48+00:00', lastUsedStatus: 'used', lastChanged: null },
    });
    expect(root?.accessKeys[0]).toEqual({
      slot: 1,
      active: true,
      lastRotated: '2011-08-19T05:12:23+00:00',
      lastUsed: '2015-07-04T15:09:00+00:00',
      lastUsedRegion: 'us-east-1',
      lastUsedService: 's3',
    });
    expect(root?.certificates[0]).toEqual({ slot: 1, active: true, lastRotated: '2008-06-25T02:07:10+00:00' });
    expect(root?.path).toBeUndefined();
  });

  it('reads upper-case booleans', () => {
    const file = 'uppercase-booleans.2020-04-02T162057Z.csv';
    const [user] = parseCredentialReport(readFileSync(join(realReportsDir, file), 'utf8'), file).principals;
    expect(user?.password.enabled).toBe(false);
    expect(user?.accessKeys.map((k) => k.active)).toEqual([true, true]);
    expect(user?.password.lastUsedStatus).toBe('not_applicable');
  });

  it('distinguishes a password never used from no_information', () => {
    const file = 'password-never-used.2018-06-01T000325Z.csv';
    const [user] = parseCredentialReport(readFileSync(join(realReportsDir, file), 'utf8'), file).principals;
    expect(user?.password).toMatchObject({ enabled: true, lastUsed: null, lastUsedStatus: 'no_information' });
    expect(user?.accessKeys[0]).toMatchObject({ active: true, lastUsed: null, lastUsedService: null });
  });
});

describe('parseCredentialReport quirks', () => {
  it('keeps IAM paths from the ARN and quoted names with commas', () => {
    const text = reportCsv([{ user: 'eng,lead+ops=x.y@z_w-1', arn: 'arn:aws:iam::111122223333:user/division/eng/eng,lead+ops=x.y@z_w-1' }]);
    const [user] = parseCredentialReport(text, 'paths.csv').principals;
    expect(user).toMatchObject({ type: 'user', name: 'eng,lead+ops=x.y@z_w-1', path: '/division/eng/' });
  });

  it('accepts CRLF line endings, a BOM and timestamps with offsets', () => {
    const text = `\uFEFF${reportCsv([{ user: 'a', user_creation_time: '2020-01-01T10:00:00-05:00' }]).replace(/\n/g, '\r\n')}`;
    const [user] = parseCredentialReport(text, 'crlf.csv').principals;
    expect(user?.createdAt).toBe('2020-01-01T10:00:00-05:00');
  });

  it('reads the account and partition from the ARNs', () => {
    const text = reportCsv([{ user: 'a', arn: 'arn:aws-us-gov:iam::111122223333:user/a' }]);
    expect(parseCredentialReport(text, 'gov.csv')).toMatchObject({ accountId: '111122223333', partition: 'aws-us-gov' });
  });

  it('warns about unknown extra columns instead of failing', () => {
    const text = reportCsv([{ user: 'a' }])
      .replace('cert_2_last_rotated', 'cert_2_last_rotated,future_column')
      .replace(/\n(.+)$/m, '\n$1,x');
    const report = parseCredentialReport(text, 'extra.csv');
    expect(report.principals).toHaveLength(1);
    expect(report.warnings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        file: 'extra.csv',
        line: 1,
        column: 23,
        message: expect.stringContaining('future_column'),
      }),
    ]);
  });

  it('says once that a CSV with too few of the columns is not a credential report, naming the expected columns', () => {
    const diagnostics = parseError('user,arn\nx,arn:aws:iam::111122223333:user/x\n');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      file: 'bad.csv',
      line: 1,
      message: expect.stringContaining(
        `not an IAM credential report: the first line is not its header (expected the columns ${REPORT_COLUMNS.join(',')})`,
      ),
    });
  });

  it('reports a row with the wrong field count with its line', () => {
    const text = `${reportCsv([{ user: 'a' }, { user: 'b' }])}\nc,d\n`;
    const diagnostics = parseError(text);
    expect(diagnostics).toEqual([expect.objectContaining({ line: 4, message: 'row has 2 fields, the header has 22' })]);
  });

  it('reports a bad value with line, column and pointer, all at once', () => {
    const text = reportCsv([
      { user: 'a', mfa_active: 'maybe' },
      { user: 'b', access_key_1_last_rotated: 'yesterday' },
    ]);
    expect(parseError(text)).toEqual([
      expect.objectContaining({ line: 2, column: 8, pointer: '/mfa_active', message: expect.stringContaining("'maybe'") }),
      expect.objectContaining({ line: 3, column: 10, pointer: '/access_key_1_last_rotated' }),
    ]);
  });

  it('rejects rows of different accounts in one report', () => {
    const text = reportCsv([{ user: 'a' }, { user: 'b', arn: 'arn:aws:iam::999988887777:user/b' }]);
    expect(parseError(text)).toEqual([expect.objectContaining({ line: 3, message: expect.stringContaining('999988887777') })]);
  });

  it('rejects an empty file', () => {
    expect(parseError('')[0]?.message).toContain('empty');
  });
});

describe('empty credential slots of a report row', () => {
  const EMPTY_KEY = { active: false, lastRotated: null, lastUsed: null, lastUsedRegion: null, lastUsedService: null };
  const text = reportCsv([
    { user: 'none' },
    { user: 'also-none' },
    { user: 'second', access_key_2_active: 'true', access_key_2_last_rotated: '2026-01-01T00:00:00Z' },
    // Inactive, never rotated or used, but a Region: not the empty slot.
    { user: 'region-only', access_key_1_last_used_region: 'us-east-1' },
  ]);
  const principals = parseCredentialReport(text, 'slots.csv').principals;
  const [none, alsoNone, second, regionOnly] = principals as [Principal, Principal, Principal, Principal];

  it('share one frozen pair of access key slots between rows without keys', () => {
    expect(none.accessKeys).toEqual([
      { slot: 1, ...EMPTY_KEY },
      { slot: 2, ...EMPTY_KEY },
    ]);
    expect(alsoNone.accessKeys).toBe(none.accessKeys);
    expect(Object.isFrozen(none.accessKeys) && Object.isFrozen(none.accessKeys[0]) && Object.isFrozen(none.accessKeys[1])).toBe(true);
    expect(() => {
      (none.accessKeys[0] as { active: boolean }).active = true;
    }).toThrow(TypeError);
  });

  it('give a row its own slot where it holds anything, and share the other', () => {
    expect(second.accessKeys[0]).toBe(none.accessKeys[0]);
    expect(second.accessKeys[1]).toEqual({ ...EMPTY_KEY, slot: 2, active: true, lastRotated: '2026-01-01T00:00:00Z' });
    expect(Object.isFrozen(second.accessKeys[1])).toBe(false);
    expect(regionOnly.accessKeys[0]).toEqual({ ...EMPTY_KEY, slot: 1, lastUsedRegion: 'us-east-1' });
    expect(regionOnly.accessKeys[0]).not.toBe(none.accessKeys[0]);
    expect(regionOnly.accessKeys[1]).toBe(none.accessKeys[1]);
  });
});
