import { describe, expect, it } from 'vitest';
import { decide, type Decisions } from '../../src/core/remediation/decide.js';
import { buildBlocks, type Block } from '../../src/core/remediation/blocks.js';
import { principalFacts } from '../../src/core/remediation/facts.js';
import { outlinePrincipal, planPrincipal } from '../../src/core/remediation/planner.js';
import { parseCredentialReport } from '../../src/core/report/parse.js';
import type { Account, Credential, Finding } from '../../src/model/index.js';
import { reportCsv } from '../helpers/reports.js';
import { ACCOUNT, AS_OF, builtInCatalogue, finding } from './helpers.js';
import { seededRandom } from '../../src/sandbox/random.js';

/*
 * A plan's outline decides without words (no resolutions, notes or reasons: only a plan's text
 * reads them). The decisions must be the very ones the plan's text is made from, whatever the
 * findings and facts: random principals, random findings of every built-in procedure.
 */

const catalogue = builtInCatalogue();
const procedures = [...catalogue.keys()];
const CREDENTIALS: Credential[] = [null, 'password', 'access_key_1', 'access_key_2', 'cert_1', 'cert_2'];

const AS_OF_MS = Date.parse(AS_OF);

/** A time `days` before the as-of time, as AWS writes it, or N/A. */
function daysBefore(next: () => number, maxDays: number): string {
  if (next() < 0.3) return 'N/A';
  return new Date(AS_OF_MS - Math.floor(next() * maxDays * 86_400_000)).toISOString().replace('.000Z', '+00:00');
}

function randomAccount(next: () => number, root: boolean): Account {
  const key = (slot: 1 | 2) => ({
    [`access_key_${slot}_active`]: next() < 0.6 ? 'true' : 'false',
    [`access_key_${slot}_last_rotated`]: daysBefore(next, 900),
    [`access_key_${slot}_last_used_date`]: daysBefore(next, 200),
    [`access_key_${slot}_last_used_service`]: next() < 0.5 ? 's3' : 'N/A',
    [`access_key_${slot}_last_used_region`]: next() < 0.5 ? 'eu-west-1' : 'N/A',
  });
  const text = reportCsv(
    [
      {
        user: root ? '<root_account>' : 'alice',
        password_enabled: root ? 'not_supported' : next() < 0.5 ? 'true' : 'false',
        password_last_used: daysBefore(next, 400),
        mfa_active: next() < 0.5 ? 'true' : 'false',
        ...key(1),
        ...key(2),
        cert_1_active: next() < 0.3 ? 'true' : 'false',
        cert_1_last_rotated: daysBefore(next, 900),
      },
    ],
    ACCOUNT,
  );
  const { principals } = parseCredentialReport(text, 'r.csv');
  return { id: ACCOUNT, reportGeneratedTime: AS_OF, principals };
}

function randomFindings(next: () => number, root: boolean): Finding[] {
  const count = 1 + Math.floor(next() * 5);
  const findings: Finding[] = [];
  for (let i = 0; i < count; i++) {
    const procedure = procedures[Math.floor(next() * procedures.length)]!;
    const credential = CREDENTIALS[Math.floor(next() * CREDENTIALS.length)]!;
    const evidence = next() < 0.5 ? {} : { 'key.lastUsedDaysAgo': Math.floor(next() * 200), 'key.ageDays': Math.floor(next() * 900) };
    findings.push(finding(`rule-${i}`, procedure, credential, evidence, { type: root ? 'root' : 'user' }));
  }
  return findings;
}

/** Everything a decision is made of, without its words. */
function decisionsOf(findings: readonly Finding[], d: Decisions, blocks: readonly Block[]) {
  return {
    keys: [...d.keys].map(([slot, a]) => [slot, a.kind, a.procedure.id, a.freesFor, a.moveTo]),
    undecided: d.undecidedRotation?.id,
    removePassword: d.removePassword,
    resolved: [...d.resolutions.keys()].map((f) => findings.indexOf(f)),
    standalone: d.standalone.map((f) => findings.indexOf(f)),
    blocks: blocks.map((b) => [b.phase, b.procedure.id, b.credential, b.kind, b.undecidedKey, b.freesSlot]),
  };
}

describe('deciding without words (a plan outline)', () => {
  it('makes the same decisions, blocks, procedures and targets as with words, on 3,000 random principals', () => {
    const next = seededRandom(7);
    let withNotes = 0;
    for (let i = 0; i < 3000; i++) {
      const root = next() < 0.2;
      const account = randomAccount(next, root);
      const findings = randomFindings(next, root);
      const snapshot = next() < 0.5 ? { account, principal: account.principals[0]! } : undefined;
      const facts = principalFacts(findings, AS_OF, snapshot, { bothKeysActive: next() < 0.3 });
      const spoken = decide(findings, facts, catalogue);
      const spokenBlocks = buildBlocks(facts, spoken, catalogue);
      const silent = decide(findings, facts, catalogue, { words: false });
      const silentBlocks = buildBlocks(facts, silent, catalogue);
      expect(decisionsOf(findings, silent, silentBlocks)).toEqual(decisionsOf(findings, spoken, spokenBlocks));
      expect([...silent.resolutions.values()].every((r) => r === '')).toBe(true);
      expect(silent.notes).toEqual([]);
      // Without words, the frequent blocks make no text (an outline never reads it).
      for (const block of silentBlocks.filter((b) => b.kind === 'access_key' && !b.undecidedKey)) expect(() => block.vars).toThrow();
      if (spoken.notes.length > 0) withNotes++;
      const plan = planPrincipal(findings, facts, catalogue);
      const outline = outlinePrincipal(findings, facts, catalogue);
      expect(outline.procedures).toEqual(plan.procedures);
      expect(outline.targets).toEqual(plan.targets);
    }
    // The random principals reach the decisions that have words to leave out.
    expect(withNotes).toBeGreaterThan(100);
  });
});
