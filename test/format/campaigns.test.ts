import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Credential, Finding, Plan, ScanResult, Severity } from '../../src/model/index.js';
import { SEVERITIES } from '../../src/model/index.js';
import {
  CAMPAIGN_ROWS,
  CampaignBook,
  compareRows,
  formatCampaigns,
  formatTargetsCsv,
  TARGET_COLUMNS,
  type TargetRow,
} from '../../src/core/format/plans/campaigns.js';
import { planFindings, embedPlans, usedProcedures } from '../../src/core/remediation/index.js';
import { builtInCatalogue, finding, keyEvidence, result as resultOf } from '../remediation/helpers.js';

const catalogue = builtInCatalogue();
const PROCEDURES = [
  'rotate-access-key',
  'enable-user-mfa',
  'disable-unused-credential',
  'delete-inactive-access-key',
  'delete-root-access-key',
];
const CREDENTIAL: Record<string, Credential> = {
  'rotate-access-key': 'access_key_1',
  'enable-user-mfa': 'password',
  'disable-unused-credential': 'password',
  'delete-inactive-access-key': 'access_key_2',
  'delete-root-access-key': 'access_key_1',
};

/** A result of `count` principals, each with one plan of one procedure, spread over 50 accounts. */
function organisation(count: number, name = (i: number) => `user-${i}`): ScanResult {
  const findings: Finding[] = [];
  const plans: Plan[] = [];
  for (let i = 0; i < count; i++) {
    const procedure = PROCEDURES[i % PROCEDURES.length]!;
    const accountId = String(100_000_000_000 + (i % 50));
    const root = procedure === 'delete-root-access-key';
    const principal = root
      ? { type: 'root' as const, name: '<root_account>', arn: `arn:aws:iam::${accountId}:root` }
      : { type: 'user' as const, name: name(i), arn: `arn:aws:iam::${accountId}:user/${name(i)}` };
    const severity: Severity = SEVERITIES[i % 4]!;
    const fingerprint = i.toString(16).padStart(32, '0');
    const credential = CREDENTIAL[procedure]!;
    findings.push({ ...finding('r', procedure, credential), accountId, principal, severity, fingerprint });
    plans.push({
      id: `plan-${i}`,
      accountId,
      principal,
      actors: [],
      administrators: [],
      goals: [],
      procedures: [procedure],
      notes: [],
      steps: [],
      alternatives: [],
      verification: [],
      links: [],
      findings: [{ fingerprint, resolution: 'x' }],
      targets: [
        {
          procedure,
          credential,
          ...(i % 3 === 0 && credential?.startsWith('access') ? { keyId: `AKIA${String(i).padStart(16, '0')}` } : {}),
        },
      ],
    });
  }
  const accounts = Array.from({ length: 50 }, (_, i) => ({
    id: String(100_000_000_000 + i),
    name: `acct-${i}`,
    status: 'scanned' as const,
    asOf: '2026-06-01T00:00:00Z',
  }));
  return { ...resultOf(findings), accounts, plans, procedures: usedProcedures(catalogue, PROCEDURES) };
}

const text = (chunks: Iterable<string>) => [...chunks].join('');

describe('credwarden-plans.md: campaigns, one per procedure', () => {
  const small = text(formatCampaigns(organisation(2_000)));
  const large = text(formatCampaigns(organisation(50_000)));

  it("states each procedure's steps once, with placeholders, however many targets it has", () => {
    expect(large.match(/^## \d+\. /gm)).toHaveLength(PROCEDURES.length);
    const deactivate = 'aws iam update-access-key --user-name <USER> --access-key-id <KEY_ID> --status Inactive';
    const times = (doc: string) => doc.split(deactivate).length - 1;
    expect(times(large)).toBeGreaterThan(0);
    expect(times(large)).toBeLessThanOrEqual(PROCEDURES.length);
    expect(times(large)).toBe(times(small));
    expect(large).toMatch(/^## \d\. Delete the root user access key \(`delete-root-access-key`\): 10000 targets$/m);
  });

  it(`shows at most ${CAMPAIGN_ROWS} targets per campaign, most severe first, and points to the CSV for the rest`, () => {
    const tables = large.split('**Targets**').slice(1);
    expect(tables).toHaveLength(PROCEDURES.length);
    for (const t of tables) {
      const rows = t.split('\n').filter((line) => /^\| \d{12}/.test(line));
      expect(rows).toHaveLength(CAMPAIGN_ROWS);
      const ranks = rows.map((r) => SEVERITIES.indexOf(r.split(' | ')[4] as Severity));
      expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
      expect(t).toMatch(/…and 9900 more targets in `credwarden-targets\.csv`/);
    }
    expect(large).toMatch(/^\| 1000000000\d\d \(acct-\d+\) \| `root user` \| access_key_1 \| `AKIA\d{16}` \| critical \| 2026-06-08 \|$/m);
  });

  it('stays the same size whatever the organisation size (bounded far below 5 MiB)', () => {
    expect(Buffer.byteLength(large)).toBeLessThan(Buffer.byteLength(small) * 1.05);
    expect(Buffer.byteLength(large)).toBeLessThan(512 * 1024);
  });

  it('says how to get one principal’s full plan', () => {
    expect(large).toContain('`credwarden plan RESULT.json --principal NAME_OR_ARN --account ACCOUNT_ID`');
  });

  it('keeps hostile names inside code spans and cells', () => {
    const hostile = text(formatCampaigns(organisation(10, (i) => `x|y\`z\n# h${i}<img>`)));
    expect(hostile).not.toMatch(/^# h/m);
    // Code spans show text as it is; everywhere else '<' is escaped.
    expect(hostile.replace(/``[^\n]*?``/g, '')).not.toContain('<img>');
    expect(hostile).toContain('``x\\|y`z # h1<img>``');
  });
});

describe('CampaignBook', () => {
  /** Rows of 3 procedures in a scrambled order, some of them ties (the two sets share values of n). */
  function rows(count: number, seed: number): TargetRow[] {
    return Array.from({ length: count }, (_, i) => {
      const n = (i * 7919 + seed * 104729) % 9973;
      return {
        procedure: `p${n % 3}`,
        accountId: String(100_000_000_000 + (n % 7)),
        accountName: null,
        principalType: n % 11 === 0 ? 'root' : 'user',
        principal: `u${n % 401}`,
        arn: `arn:aws:iam::x:user/u${n % 401}`,
        credential: n % 2 === 0 ? 'password' : null,
        keyId: null,
        severity: SEVERITIES[n % 5]!,
        due: null,
        planId: `plan-${i}`,
      };
    });
  }

  /** Every row kept, sorted once: what the book's bounded rows must equal. */
  function everything(all: readonly TargetRow[], limit: number): Map<string, TargetRow[]> {
    const by = new Map<string, TargetRow[]>();
    for (const row of all) by.set(row.procedure, [...(by.get(row.procedure) ?? []), row]);
    return new Map([...by].map(([p, list]) => [p, [...list].sort(compareRows).slice(0, limit)]));
  }

  it('keeps the same first rows, in the same order, as sorting every row (ties included), alone and absorbed', () => {
    for (const limit of [0, 1, 5, 100]) {
      const first = rows(3000, 1);
      const second = rows(2000, 2);
      const one = new CampaignBook(limit);
      for (const row of [...first, ...second]) one.add(row);
      const left = new CampaignBook(limit);
      const right = new CampaignBook(limit);
      for (const row of first) left.add(row);
      for (const row of second) right.add(row);
      left.absorb(right.save());
      const expected = everything([...first, ...second], limit);
      for (const book of [one, left]) {
        const campaigns = book.list();
        expect(campaigns.map((c) => c.procedure).sort()).toEqual([...expected.keys()].sort());
        for (const c of campaigns) {
          expect(c.rows.map((r) => r.planId)).toEqual(expected.get(c.procedure)!.map((r) => r.planId));
          expect(c.targets).toBe([...first, ...second].filter((r) => r.procedure === c.procedure).length);
        }
      }
    }
  });

  it('keeps a row that arrives last and belongs just inside the limit', () => {
    for (const limit of [2, 5, 100]) {
      const sorted = rows(3000, 1)
        .filter((r) => r.procedure === 'p0')
        .sort(compareRows);
      const last = sorted[limit - 1]!;
      const book = new CampaignBook(limit);
      for (const row of [...sorted.filter((r) => r !== last), last]) book.add(row);
      expect(book.list()[0]!.rows.map((r) => r.planId)).toEqual(sorted.slice(0, limit).map((r) => r.planId));
    }
  });
});

describe('credwarden-targets.csv: every target', () => {
  it('has one row per target with the documented columns', () => {
    const rows = parse(text(formatTargetsCsv(organisation(5_000))), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(5_000);
    expect(Object.keys(rows[0]!)).toEqual([...TARGET_COLUMNS]);
    expect(rows[3]).toEqual({
      procedure: 'delete-inactive-access-key',
      account_id: '100000000003',
      account_name: 'acct-3',
      principal_type: 'user',
      principal: 'user-3',
      arn: 'arn:aws:iam::100000000003:user/user-3',
      credential: 'access_key_2',
      key_id: 'AKIA0000000000000003',
      severity: 'low',
      due: '2026-11-28',
      plan_id: 'plan-3',
    });
  });

  it('neutralises formulas in names', () => {
    const csv = text(formatTargetsCsv(organisation(3, () => '=HYPERLINK("http://x")')));
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
  });
});

describe('plans carry their targets and the result the procedures they use', () => {
  it('one target per procedure and credential, with the key id when the scan knew it', () => {
    const findings = [
      finding('access-key-not-rotated', 'rotate-access-key', 'access_key_1', keyEvidence(400, 3)),
      finding('console-user-without-mfa', 'enable-user-mfa', 'password'),
    ];
    const result = embedPlans(resultOf(findings), planFindings(resultOf(findings), catalogue), catalogue);
    expect(result.plans[0]!.targets).toEqual([
      { procedure: 'enable-user-mfa', credential: 'password' },
      { procedure: 'rotate-access-key', credential: 'access_key_1' },
    ]);
    expect(result.procedures?.map((p) => p.id)).toEqual(['enable-user-mfa', 'rotate-access-key']);
    expect(JSON.stringify(result.procedures)).not.toContain('"source"');
  });
});
