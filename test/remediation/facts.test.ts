import { describe, expect, it } from 'vitest';
import { emptySlot, principalFacts, type PrincipalFacts } from '../../src/core/remediation/facts.js';
import { parseCredentialReport } from '../../src/core/report/parse.js';
import type { Account } from '../../src/model/index.js';
import { reportCsv } from '../helpers/reports.js';
import { ACCOUNT, AS_OF, finding } from './helpers.js';

/** An account of three users: one without credentials, one with access key 1 and a certificate, one with a password only. */
function account(): Account {
  const report = parseCredentialReport(
    reportCsv(
      [
        { user: 'alice' },
        {
          user: 'bob',
          access_key_1_active: 'true',
          access_key_1_last_rotated: '2026-01-01T00:00:00+00:00',
          access_key_1_last_used_date: '2026-10-01T12:00:00+00:00',
          access_key_1_last_used_service: 's3',
          access_key_1_last_used_region: 'us-east-1',
          cert_2_active: 'false',
          cert_2_last_rotated: '2025-11-01T12:00:00+00:00',
        },
        { user: 'carol', password_enabled: 'true', password_last_used: '2026-10-31T12:00:00+00:00' },
      ],
      ACCOUNT,
    ),
    'test.csv',
  );
  return { id: ACCOUNT, name: 'test', partition: 'aws', reportGeneratedTime: AS_OF, principals: report.principals };
}

function factsOf(acc: Account, name: string): PrincipalFacts {
  const principal = acc.principals.find((p) => p.name === name)!;
  return principalFacts([finding('r', 'p', null, {}, { name })], AS_OF, { account: acc, principal });
}

describe('principalFacts from a snapshot (what each plan keeps until its reports are written)', () => {
  const acc = account();

  it('states every slot as the report row shows it', () => {
    const bob = factsOf(acc, 'bob');
    expect(bob.keys[0]).toEqual({
      slot: 1,
      id: null,
      present: true,
      active: true,
      lastRotated: '2026-01-01T00:00:00+00:00',
      ageDays: 304.5,
      lastUsedKnown: true,
      lastUsed: '2026-10-01T12:00:00+00:00',
      lastUsedDaysAgo: 31,
      lastUsedService: 's3',
      lastUsedRegion: 'us-east-1',
    });
    const noKey = { ...emptySlot(2), present: false, active: false, lastUsedKnown: true };
    expect(bob.keys[1]).toEqual(noKey);
    expect(bob.certs).toEqual([
      { ...emptySlot(1), present: false, active: false },
      { ...emptySlot(2), present: true, active: false, lastRotated: '2025-11-01T12:00:00+00:00', ageDays: 365 },
    ]);
    expect(factsOf(acc, 'carol').password).toEqual({
      lastUsed: '2026-10-31T12:00:00+00:00',
      lastUsedKnown: true,
      lastUsedDaysAgo: 1,
      nextRotation: null,
      nextRotationInDays: null,
    });
    // Member order is what the compact result writes in.
    expect(Object.keys(bob.keys[1])).toEqual(Object.keys(emptySlot(2)));
    expect(Object.keys(bob.certs[1])).toEqual(Object.keys(emptySlot(2)));
  });

  it('shares the empty slots, no recovery facts and no item evidence, frozen, between principals', () => {
    const alice = factsOf(acc, 'alice');
    const carol = factsOf(acc, 'carol');
    expect(alice.keys).toBe(carol.keys);
    expect(alice.certs).toBe(carol.certs);
    expect(alice.recovery).toBe(carol.recovery);
    expect(alice.itemEvidence).toBe(carol.itemEvidence);
    expect(alice.recovery).toEqual({});
    expect(alice.itemEvidence).toEqual({});
    const bob = factsOf(acc, 'bob');
    expect(bob.keys[1]).toBe(alice.keys[1]);
    expect(bob.certs[0]).toBe(alice.certs[0]);
    // A reader that tried to change a shared slot would change every plan: it throws instead.
    expect(() => {
      alice.keys[0].active = true;
    }).toThrow(TypeError);
    expect(() => {
      (alice.recovery as Record<string, unknown>).password = {};
    }).toThrow(TypeError);
  });

  it("keeps the findings' own principal, and each principal's item evidence of its own", () => {
    const alice = acc.principals.find((p) => p.name === 'alice')!;
    const findings = [
      finding('r', 'p', null, {}, { name: 'alice' }),
      finding('s', 'p', 'ssh:APKA1' as never, { 'item.id': 'APKA1' }, { name: 'alice' }),
    ];
    const facts = principalFacts(findings, AS_OF, { account: acc, principal: alice });
    expect(facts.principal).toBe(findings[0]!.principal);
    expect(facts.itemEvidence).toEqual({ 'ssh:APKA1': { 'item.id': 'APKA1' } });
    expect(factsOf(acc, 'alice').itemEvidence).toEqual({});
  });
});

describe('principalFacts from evidence (a plan made again from a result)', () => {
  it('merges the recovery evidence of several findings, leaving the shared empty record alone', () => {
    const facts = principalFacts(
      [
        finding('a', 'p', 'password', { 'facts.recovery.password.selfService': true }),
        finding('b', 'p', 'access_key_1', { 'facts.recovery.accessKeys': { administrators: ['arn:aws:iam::1:user/admin'] } }),
        finding('c', 'p', 'password', { 'facts.recovery.password.changePasswordAllowed': false }),
      ],
      AS_OF,
    );
    expect(facts.recovery).toEqual({
      password: { selfService: true, changePasswordAllowed: false },
      accessKeys: { administrators: ['arn:aws:iam::1:user/admin'] },
    });
    expect(principalFacts([finding('d', 'p', 'password')], AS_OF).recovery).toEqual({});
  });
});

describe('certificate slots of a parsed report (kept with the principals until the reports are written)', () => {
  it('are shared and frozen when empty, and a row of their own otherwise', () => {
    const [alice, bob, carol] = account().principals;
    expect(alice!.certificates).toEqual([
      { slot: 1, active: false, lastRotated: null },
      { slot: 2, active: false, lastRotated: null },
    ]);
    expect(alice!.certificates).toBe(carol!.certificates);
    expect(bob!.certificates[0]).toBe(alice!.certificates[0]);
    expect(bob!.certificates[1]).toEqual({ slot: 2, active: false, lastRotated: '2025-11-01T12:00:00+00:00' });
    expect(Object.isFrozen(bob!.certificates[1])).toBe(false);
    expect(() => {
      alice!.certificates[0].active = true;
    }).toThrow(TypeError);
  });
});
