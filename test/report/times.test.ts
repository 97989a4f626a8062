import { describe, expect, it } from 'vitest';
import { loadRuleset } from '../../src/collectors/files/rules.js';
import { loadCatalogue } from '../../src/collectors/files/procedures.js';
import { parseCredentialReport } from '../../src/core/report/parse.js';
import { forgetTimes, keyTimeMs, recordTimes, TIME, timesOfPrincipals, type PrincipalTimes } from '../../src/core/report/times.js';
import { evaluateAccount } from '../../src/core/engine/evaluate.js';
import { planAccount } from '../../src/core/remediation/index.js';
import { parseTimestamp } from '../../src/core/util/time.js';
import { InputError, type Account, type Principal } from '../../src/model/index.js';
import { reportCsv } from '../helpers/reports.js';

const ACCOUNT = '111122223333';
const AS_OF = '2026-06-01T00:00:00Z';

/**
 * Times a report may hold that the fast arithmetic path and Date.parse must agree on: leap days
 * (2024, and 2000, a century that is one), offsets that move the day, a fraction of a second,
 * dates after the as-of time, and every placeholder AWS writes instead of a time.
 */
const HOSTILE = reportCsv(
  [
    {
      user: '<root_account>',
      user_creation_time: '2000-02-29T00:00:00Z',
      password_enabled: 'not_supported',
      password_last_used: 'no_information',
      password_last_changed: 'not_supported',
      password_next_rotation: 'not_supported',
      mfa_active: 'false',
      access_key_1_active: 'true',
      access_key_1_last_rotated: '2024-02-29T23:59:59Z',
      access_key_1_last_used_date: 'N/A',
    },
    {
      user: 'leap',
      user_creation_time: '2024-02-29T12:00:00+00:00',
      password_enabled: 'true',
      password_last_used: '2026-05-31T23:59:59-08:00',
      password_last_changed: '2026-01-01T00:00:00.123Z',
      password_next_rotation: '2099-12-31T23:59:59Z',
      access_key_1_active: 'false',
      access_key_1_last_rotated: '2025-03-01T05:30:00+05:30',
      access_key_1_last_used_date: '2025-03-02T00:00:00Z',
      access_key_1_last_used_region: 'us-east-1',
      access_key_1_last_used_service: 's3',
      access_key_2_active: 'true',
      access_key_2_last_rotated: '2020-02-29T00:00:00-12:00',
      access_key_2_last_used_date: 'no_information',
      cert_1_active: 'true',
      cert_1_last_rotated: '2016-02-29T10:00:00Z',
      cert_2_active: 'false',
      cert_2_last_rotated: '2030-01-01T00:00:00+14:00',
    },
    { user: 'plain', user_creation_time: '2026-05-31T00:00:00Z', password_enabled: 'false' },
  ],
  ACCOUNT,
);

/** Each time of a principal's row, by its position in the principal's times. */
function rowTimes(p: Principal): [number, string | null][] {
  return [
    [TIME.createdAt, p.createdAt],
    [TIME.passwordLastUsed, p.password.lastUsed],
    [TIME.passwordLastChanged, p.password.lastChanged],
    [TIME.passwordNextRotation, p.password.nextRotation],
    [TIME.keyLastRotated, p.accessKeys[0].lastRotated],
    [TIME.keyLastUsed, p.accessKeys[0].lastUsed],
    [TIME.keyLastRotated + 2, p.accessKeys[1].lastRotated],
    [TIME.keyLastUsed + 2, p.accessKeys[1].lastUsed],
    [TIME.certLastRotated, p.certificates[0].lastRotated],
    [TIME.certLastRotated + 1, p.certificates[1].lastRotated],
  ];
}

function accountOf(principals: Principal[]): Account {
  return { id: ACCOUNT, partition: 'aws', reportGeneratedTime: AS_OF, source: 'files', principals } as Account;
}

/** The account a saved report gives, and the same account as a snapshot or worker would hand it over: a copy. */
function readAndCopied(): { read: Account; copied: Account } {
  const read = accountOf(parseCredentialReport(HOSTILE, 'hostile.csv').principals);
  return { read, copied: structuredClone(read) };
}

describe('the times of a credential report row, parsed once (report/times.ts)', () => {
  it('keeps each time the reader checked as the number its text parses to (NaN where the row has none)', () => {
    const { principals } = parseCredentialReport(HOSTILE, 'hostile.csv');
    const times = timesOfPrincipals(principals);
    expect(times).toHaveLength(principals.length);
    let checked = 0;
    principals.forEach((principal, i) => {
      for (const [at, text] of rowTimes(principal)) {
        expect(Object.is(times[i]![at], text === null ? Number.NaN : parseTimestamp(text)), `${principal.name} ${text}`).toBe(true);
        if (text !== null) checked++;
      }
    });
    expect(checked).toBe(12);
    // The reader's own numbers, not a second parse: the same array on every call.
    expect(timesOfPrincipals(principals)).toBe(times);
  });

  it('gives evaluation and planning the numbers the reader kept, not a parse of the text', () => {
    const { read } = readAndCopied();
    const loaded = loadRuleset({ pack: 'recommended' });
    const agesOf = (account: Account) =>
      evaluateAccount(account, loaded.ruleset).flatMap((f) =>
        Object.entries(f.evidence).filter(([name]) => /DaysAgo|ageDays|InDays|SinceLastActivity/.test(name)),
      );
    const catalogue = loadCatalogue([], '.');
    const findings = evaluateAccount(read, loaded.ruleset);
    const slotAgesOf = (account: Account) =>
      planAccount(account, { asOf: AS_OF, reportGeneratedTime: AS_OF }, findings, catalogue, { asOf: AS_OF, access: {} }).outlines.flatMap(
        (o) => [...o.facts!.keys, ...o.facts!.certs].map((slot) => slot.ageDays),
      );
    const honestSlots = slotAgesOf(read);
    expect(honestSlots.filter((age) => age !== null).length).toBeGreaterThan(2);
    const honest = agesOf(read);
    expect(honest.filter(([, value]) => typeof value === 'number').length).toBeGreaterThan(3);
    // Every kept time moved 10 days earlier: every age a rule reads is 10 days more.
    const shifted = timesOfPrincipals(read.principals).map((t) => t.map((ms) => ms - 10 * 86_400_000));
    recordTimes(read.principals, shifted);
    const ages = agesOf(read);
    expect(ages.map(([name]) => name)).toEqual(honest.map(([name]) => name));
    ages.forEach(([name, value], i) => {
      const before = honest[i]![1] as number | null;
      if (before === null) expect(value, name).toBeNull();
      else expect(value, name).toBeCloseTo(name.endsWith('InDays') ? before - 10 : before + 10, 6);
    });
    slotAgesOf(read).forEach((age, i) => {
      const before = honestSlots[i]!;
      if (before === null) expect(age).toBeNull();
      else expect(age).toBeCloseTo(before + 10, 6);
    });
  });

  it('gives the same findings and plan facts for a copy of the account, whose times are parsed again', () => {
    const { read, copied } = readAndCopied();
    const loaded = loadRuleset({ pack: 'recommended' });
    const catalogue = loadCatalogue([], '.');
    const findings = evaluateAccount(read, loaded.ruleset);
    expect(evaluateAccount(copied, loaded.ruleset)).toEqual(findings);
    const planOf = (account: Account) =>
      planAccount(account, { asOf: AS_OF, reportGeneratedTime: AS_OF }, findings, catalogue, { asOf: AS_OF, access: {} }).outlines.map(
        (o) => o.facts,
      );
    const facts = planOf(read);
    expect(facts.length).toBeGreaterThan(0);
    expect(planOf(copied)).toEqual(facts);
    // The copy's own times, parsed once and kept for the plan stage.
    expect(timesOfPrincipals(copied.principals)).not.toBe(timesOfPrincipals(read.principals));
    expect(timesOfPrincipals(copied.principals)).toEqual(timesOfPrincipals(read.principals));
  });

  it('parses the times again once they are forgotten', () => {
    const { principals } = parseCredentialReport(HOSTILE, 'hostile.csv');
    const kept = timesOfPrincipals(principals);
    forgetTimes(principals);
    const again = timesOfPrincipals(principals);
    expect(again).not.toBe(kept);
    expect(again).toEqual(kept);
  });

  it("parses a key's text when the key is not one of the principal's two slots, or there are no times", () => {
    const { principals } = parseCredentialReport(HOSTILE, 'hostile.csv');
    const leap = principals[1]!;
    const times: PrincipalTimes = timesOfPrincipals(principals)[1]!;
    const stranger = { ...leap.accessKeys[1], lastRotated: '2021-01-01T00:00:00Z' };
    expect(keyTimeMs(leap, times, leap.accessKeys[1], 'lastRotated')).toBe(Date.parse('2020-02-29T12:00:00Z'));
    expect(keyTimeMs(leap, times, stranger, 'lastRotated')).toBe(Date.parse('2021-01-01T00:00:00Z'));
    expect(keyTimeMs(leap, undefined, leap.accessKeys[0], 'lastUsed')).toBe(Date.parse('2025-03-02T00:00:00Z'));
  });

  it('still names the file, line and column of a time that is not one', () => {
    const bad = reportCsv(
      [
        { user: 'a', user_creation_time: '2025-02-29T00:00:00Z' },
        { user: 'b', password_last_used: '2100-02-29T00:00:00Z' },
        { user: 'c', access_key_2_last_used_date: '2026-06-01 10:00:00' },
        { user: 'd', cert_2_last_rotated: '2026-13-01T00:00:00Z' },
        { user: 'e', access_key_1_last_rotated: 'yesterday' },
      ],
      ACCOUNT,
    );
    let diagnostics: InputError['diagnostics'] = [];
    try {
      parseCredentialReport(bad, 'bad.csv');
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      diagnostics = error.diagnostics;
    }
    const expected = (line: number, column: number, pointer: string, value: string) => ({
      severity: 'error',
      file: 'bad.csv',
      line,
      column,
      pointer,
      message: `column '${pointer.slice(1)}': expected an ISO 8601 time (a real calendar day), N/A, no_information or not_supported, got '${value}'`,
    });
    expect(diagnostics).toEqual([
      expected(2, 3, '/user_creation_time', '2025-02-29T00:00:00Z'),
      expected(3, 5, '/password_last_used', '2100-02-29T00:00:00Z'),
      expected(4, 16, '/access_key_2_last_used_date', '2026-06-01 10:00:00'),
      expected(5, 22, '/cert_2_last_rotated', '2026-13-01T00:00:00Z'),
      expected(6, 10, '/access_key_1_last_rotated', 'yesterday'),
    ]);
  });
});
