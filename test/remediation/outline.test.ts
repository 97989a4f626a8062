import { describe, expect, it } from 'vitest';
import { attachPlans, namePlans, planAccount, planOutlines } from '../../src/core/remediation/index.js';
import type { Finding, Plan, ScanResult } from '../../src/model/index.js';
import { builtInCatalogue, scanExampleOrg } from './helpers.js';
import { localeOrder } from '../../src/core/util/order.js';

const catalogue = builtInCatalogue();
const { snapshot, result } = scanExampleOrg();
const access = { roleName: 'CredwardenAudit' };

/** The result's parts of one account, as a scan's plan stage sees them. */
function accountParts(whole: ScanResult, id: string) {
  return {
    account: snapshot.accounts.find((a) => a.id === id)!,
    entry: whole.accounts.find((a) => a.id === id)!,
    findings: whole.findings.filter((f) => f.accountId === id),
  };
}

describe('planAccount (a scan plans account by account, the text only when read)', () => {
  const accountIds = snapshot.accounts.map((a) => a.id);

  it('gives, account by account, the plans and plan ids attachPlans gives the whole result', () => {
    const attached = attachPlans(result, catalogue, { accounts: snapshot.accounts, access });
    let planned = 0;
    for (const id of accountIds) {
      const { account, entry, findings } = accountParts(result, id);
      const plannedAccount = planAccount(account, entry, findings, catalogue, { asOf: result.asOf, access });
      expect(plannedAccount.plans()).toEqual(attached.plans.filter((p) => p.accountId === id));
      const expected = attached.findings.filter((f) => f.accountId === id);
      expect(plannedAccount.planIds).toEqual(expected.map((f) => f.remediation.planId));
      // Named in place, copies of the findings become the ones attachPlans gives.
      const copies = findings.map((f) => ({ ...f, remediation: { ...f.remediation } }));
      namePlans(copies, plannedAccount.planIds);
      expect(copies).toEqual(expected);
      planned += plannedAccount.outlines.length;
    }
    expect(planned).toBe(attached.plans.length);
    expect(planned).toBeGreaterThan(3);
  });

  it("states in each outline exactly the plan's id, principal, procedures, targets and findings, with the facts", () => {
    for (const id of accountIds) {
      const { account, entry, findings } = accountParts(result, id);
      const planned = planAccount(account, entry, findings, catalogue, { asOf: '2026-11-01T12:00:00Z', access });
      const { outlines, plans } = planned;
      const whole = plans();
      expect(outlines.map(({ facts: _facts, findings: refs, ...rest }) => ({ ...rest, findings: refs.map((f) => f.fingerprint) }))).toEqual(
        whole.map((p: Plan) => ({
          id: p.id,
          accountId: p.accountId,
          principal: p.principal,
          procedures: p.procedures,
          targets: p.targets,
          findings: p.findings.map((f) => f.fingerprint),
        })),
      );
      for (const o of outlines) expect(o.facts?.principal.arn).toBe(o.principal.arn);
      // An outline lists the findings given themselves, each of which names the outline's plan.
      for (const o of outlines)
        for (const f of o.findings) {
          const at = findings.indexOf(f as Finding);
          expect(at).toBeGreaterThanOrEqual(0);
          expect(planned.planIds[at]).toBe(o.id);
        }
    }
  });

  it('makes the text once, on the first read, and plans nothing for waived findings or unknown procedures', () => {
    const { account, entry, findings } = accountParts(result, accountIds[0]!);
    const waived = findings.map((f) => ({ ...f, status: 'waived' as const }));
    const none = planAccount(account, entry, waived, catalogue, { asOf: null, access });
    expect(none.outlines).toEqual([]);
    expect(none.plans()).toEqual([]);
    expect(none.planIds).toEqual(waived.map(() => undefined));
    const unknown = findings.map((f) => ({ ...f, remediation: { procedure: 'no-such-procedure' } }));
    expect(planAccount(account, entry, unknown, catalogue, { asOf: null, access }).outlines).toEqual([]);
    const some = planAccount(account, entry, findings, catalogue, { asOf: null, access });
    expect(some.plans()).toBe(some.plans());
  });

  it('names plans in place, and names none where the id is undefined, dropping a stale one', () => {
    const busiest = [...accountIds].sort((a, b) => accountParts(result, b).findings.length - accountParts(result, a).findings.length)[0]!;
    const { account, entry, findings } = accountParts(result, busiest);
    const planned = planAccount(account, entry, findings, catalogue, { asOf: null, access });
    const copies = findings.map((f) => ({ ...f, remediation: { procedure: f.remediation.procedure, planId: 'plan-stale' } }));
    const ids = planned.planIds.map((id, i) => (i === 0 ? undefined : id));
    namePlans(copies, ids);
    expect(copies.map((f) => f.remediation.planId)).toEqual(ids);
    expect(ids.filter((id) => id !== undefined).length).toBeGreaterThan(0);
    // Nothing else of a finding changes, and the ones given are left alone.
    expect(copies.map(({ remediation: _r, ...rest }) => rest)).toEqual(findings.map(({ remediation: _r, ...rest }) => rest));
    expect(findings.every((f) => f.remediation.planId !== 'plan-stale')).toBe(true);
  });

  it('reads the outlines of a slice that has none from its whole plans', () => {
    const plans = attachPlans(result, catalogue).plans;
    expect(planOutlines({ plans })).toBe(plans);
    expect(planOutlines({ plans, outlines: [] })).toEqual([]);
  });

  it('orders principal names exactly as localeCompare does', () => {
    const names = ['bob', 'Bob', 'alice', 'Älice', 'a-b', 'a_b', 'a.b', 'a+b', '10', '9', 'zoë', 'Zed', '', 'ß', 'ss', '\u200balice'];
    expect([...names].sort(localeOrder)).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    for (const a of names) for (const b of names) expect(Math.sign(localeOrder(a, b))).toBe(Math.sign(a.localeCompare(b)));
  });
});
