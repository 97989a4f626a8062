/**
 * The live path end to end: the real SDK clients against the local sandbox on loopback,
 * with an organisation where one account denies AssumeRole, one is suspended, reports need
 * several polls and 30% of calls are throttled.
 */
import { fileURLToPath } from 'node:url';
import { sandboxOptions } from './helpers.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type OrgFixture, type SandboxHandle } from '../../../src/sandbox/index.js';
import { ALLOWED_OPERATION_NAMES } from '../../../src/collectors/aws/allow-list.js';
import { collectOrganization, type AccountEvent } from '../../../src/collectors/aws/collect.js';
import type { CollectOptions } from '../../../src/collectors/aws/options.js';
import { collectFromFiles } from '../../../src/collectors/files/reports.js';
import { loadRuleset } from '../../../src/collectors/files/rules.js';
import { evaluateSnapshot } from '../../../src/core/engine/result.js';
import type { Account, Finding } from '../../../src/model/index.js';

const ORG_DIR = fileURLToPath(new URL('../../../examples/org/', import.meta.url));
const file = (name: string) => `${ORG_DIR}${name}`;
const REPORTS = {
  '111111111111': '111111111111-management.2026-11-01T120000Z.csv',
  '222222222222': '222222222222-payments-prod.2026-11-01T120000Z.csv',
  '333333333333': '333333333333-data-dev.2026-11-01T120000Z.csv',
  '555555555555': '555555555555-security-audit.2026-11-01T120000Z.csv',
};

const fixture: OrgFixture = {
  managementAccountId: '111111111111',
  organizationId: 'o-collector01',
  rootId: 'r-test',
  organizationalUnits: [{ id: 'ou-test-work', name: 'Workloads', children: [{ id: 'ou-test-prod', name: 'Prod' }] }],
  accounts: [
    { id: '111111111111', name: 'management', report: { file: file(REPORTS['111111111111']) } },
    {
      id: '222222222222',
      name: 'payments-prod',
      ou: 'ou-test-prod',
      report: { file: file(REPORTS['222222222222']), state: 'absent' },
      faults: { reportPolls: 3 },
    },
    {
      id: '333333333333',
      name: 'data-dev',
      ou: 'ou-test-work',
      report: { file: file(REPORTS['333333333333']) },
      faults: { denyAssumeRole: true },
    },
    { id: '444444444444', name: 'old-sandbox', status: 'SUSPENDED', ou: 'ou-test-work' },
    {
      id: '555555555555',
      name: 'security-audit',
      report: { file: file(REPORTS['555555555555']), state: 'expired' },
      faults: { reportPolls: 2, limitExceeded: 1 },
    },
    { id: '666666666666', name: 'analytics', ou: 'ou-test-work', report: { generatedUsers: { count: 25, seed: 3 }, ageHours: 6 } },
  ],
};

let box: SandboxHandle | undefined;
afterEach(async () => {
  await box?.close();
  box = undefined;
});

function optionsFor(sandbox: SandboxHandle, overrides: Partial<CollectOptions> = {}): CollectOptions {
  return sandboxOptions(sandbox, 12, overrides);
}

async function collectAll(options: CollectOptions): Promise<AccountEvent[]> {
  const events: AccountEvent[] = [];
  for await (const event of collectOrganization(options)) events.push(event);
  return events;
}

const AS_OF = '2026-11-01T12:00:00Z';
const key = (f: Finding) => `${f.accountId} ${f.ruleId} ${f.principal.name} ${f.credential ?? '-'}`;
const ruleset = () => loadRuleset({ rulesDirs: [] }).ruleset;

describe('collectOrganization against the sandbox', () => {
  it('scans every reachable account despite throttling, denied roles, suspended accounts and slow reports', async () => {
    box = await startSandbox({ fixture, faults: { throttleProbability: 0.3, seed: 11 } });
    const events = await collectAll(optionsFor(box));

    const status = Object.fromEntries(
      events.map((e) => (e.type === 'scanned' ? [e.account.id, 'scanned'] : [e.outcome.id, e.outcome.status])),
    );
    expect(status).toEqual({
      '111111111111': 'scanned',
      '222222222222': 'scanned',
      '333333333333': 'failed',
      '444444444444': 'skipped',
      '555555555555': 'scanned',
      '666666666666': 'scanned',
    });
    const failed = events.find((e) => e.type === 'failed');
    expect(failed?.type === 'failed' && failed.outcome.reason).toMatch(
      /^cannot assume arn:aws:iam::333333333333:role\/OrganizationAccountAccessRole: AccessDenied/,
    );
    const skipped = events.find((e) => e.type === 'skipped');
    expect(skipped?.type === 'skipped' && skipped.outcome).toEqual({
      id: '444444444444',
      name: 'old-sandbox',
      ouPath: 'Root/Workloads',
      status: 'skipped',
      reason: 'account state is SUSPENDED',
    });

    const accounts = events.flatMap((e) => (e.type === 'scanned' ? [e.account] : []));
    const byId = Object.fromEntries(accounts.map((a) => [a.id, a])) as Record<string, Account>;
    expect(byId['222222222222']).toMatchObject({ name: 'payments-prod', ouPath: 'Root/Workloads/Prod', partition: 'aws', source: 'aws' });
    expect(byId['666666666666']?.principals).toHaveLength(26);
    // The stale report was regenerated: its as-of time is recent.
    expect(Date.now() - Date.parse(byId['666666666666']?.reportGeneratedTime ?? '')).toBeLessThan(3_600_000);

    // Findings of every reachable account are those of the same reports read offline, for the
    // rules the report decides (the others read account context only a live scan has).
    const reportRules = new Set(
      ruleset()
        .rules.filter((r) => r.requiredFacts.length === 0)
        .map((r) => r.id),
    );
    const fromReport = (f: Finding) => reportRules.has(f.ruleId);
    const live = evaluateSnapshot({ accounts: accounts.filter((a) => a.id in REPORTS) }, ruleset(), {
      toolVersion: 't',
      asOf: AS_OF,
    })
      .findings.filter(fromReport)
      .map(key);
    const offlineFiles = ['111111111111', '222222222222', '555555555555'].map((id) => file(REPORTS[id as keyof typeof REPORTS]));
    const offline = evaluateSnapshot(collectFromFiles(offlineFiles).snapshot, ruleset(), { toolVersion: 't', asOf: AS_OF })
      .findings.filter(fromReport)
      .map(key);
    expect(offline.length).toBeGreaterThan(3);
    expect(live).toEqual(offline);

    // Throttling happened, and only slowed the scan down.
    const log = box.callLog;
    expect(log.filter((c) => c.errorCode === 'Throttling' || c.errorCode === 'TooManyRequestsException').length).toBeGreaterThan(5);

    // Read-only: nothing outside the allow-list was ever sent.
    for (const call of log) expect(ALLOWED_OPERATION_NAMES.has(call.operation), call.operation).toBe(true);
    expect(log.some((c) => c.operation === 'GenerateCredentialReport')).toBe(true);

    // Each member account's IAM calls are signed with that account's assumed-role keys only.
    const callerKey = box.credentials.accessKeyId;
    const keysByAccount = new Map<string, Set<string>>();
    for (const call of log.filter((c) => c.service === 'iam')) {
      expect(call.accountId).not.toBe('');
      if (call.accountId !== '111111111111') expect(call.accessKeyId).not.toBe(callerKey);
      const keys = keysByAccount.get(call.accountId) ?? new Set<string>();
      keys.add(call.accessKeyId);
      keysByAccount.set(call.accountId, keys);
    }
    expect([...keysByAccount.keys()].sort()).toEqual(['111111111111', '222222222222', '555555555555', '666666666666']);
    const allKeys = [...keysByAccount.values()].flatMap((s) => [...s]);
    expect(new Set(allKeys).size).toBe(allKeys.length); // no key is shared between accounts
    // The suspended account and the denied one were never touched with IAM.
    expect(log.some((c) => c.targetAccountId === '444444444444')).toBe(false);
  });

  it('happy path with fresh reports costs AssumeRole + GetCredentialReport per account', async () => {
    const fresh: OrgFixture = {
      ...fixture,
      accounts: fixture.accounts
        .filter((a) => a.id !== '444444444444')
        .map((a) => ({ ...a, report: { file: file(REPORTS['222222222222'].replace('222222222222', '222222222222')) }, faults: {} })),
    };
    // Every account serves the same report text; only the account id check matters here, so use generated users.
    fresh.accounts = fresh.accounts.map((a) => ({ id: a.id, name: a.name, report: { generatedUsers: { count: 3, seed: 1 } } }));
    box = await startSandbox({ fixture: fresh });
    const events = await collectAll(optionsFor(box, { context: 'none' }));
    const calls = events.map((e) => [e.type === 'scanned' ? e.account.id : e.outcome.id, e.calls]);
    expect(Object.fromEntries(calls)).toEqual({
      '111111111111': { GetCredentialReport: 1 },
      '222222222222': { AssumeRole: 1, GetCredentialReport: 1 },
      '333333333333': { AssumeRole: 1, GetCredentialReport: 1 },
      '555555555555': { AssumeRole: 1, GetCredentialReport: 1 },
      '666666666666': { AssumeRole: 1, GetCredentialReport: 1 },
    });
    const perAccount = box.callLog.filter((c) => c.operation === 'AssumeRole' || c.operation === 'GetCredentialReport');
    expect(perAccount).toHaveLength(9);
  });

  it('a report that never completes fails only that account, after --report-timeout', async () => {
    const slow: OrgFixture = {
      ...fixture,
      accounts: [
        fixture.accounts[0]!,
        {
          id: '222222222222',
          name: 'stuck',
          report: { generatedUsers: { count: 1 }, state: 'absent' },
          faults: { reportNeverCompletes: true },
        },
      ],
    };
    box = await startSandbox({ fixture: slow });
    const events = await collectAll(optionsFor(box, { reportTimeoutMs: 200, context: 'none' }));
    const stuck = events.find((e) => e.type === 'failed');
    expect(stuck?.type === 'failed' && stuck.outcome).toMatchObject({
      id: '222222222222',
      reason: 'credential report not ready after 0.2 s (--report-timeout)',
    });
    expect(events.filter((e) => e.type === 'scanned')).toHaveLength(1);
  });

  it('under a token bucket on AssumeRole, every account is scanned: throttling only slows the scan', async () => {
    const many: OrgFixture = {
      managementAccountId: '100000000000',
      organizationId: 'o-bucket00001',
      accounts: Array.from({ length: 40 }, (_, i) => ({
        id: String(100_000_000_000 + i),
        name: `a${i}`,
        report: { generatedUsers: { count: 2, seed: i } },
      })),
    };
    box = await startSandbox({ fixture: many, faults: { buckets: [{ operations: ['AssumeRole'], ratePerSecond: 15, burst: 5 }] } });
    const events = await collectAll(optionsFor(box, { context: 'none', concurrency: 16 }));
    expect(events.filter((e) => e.type === 'scanned')).toHaveLength(40);
    expect(box.stats().throttled).toBeGreaterThan(0);
  });

  it('passes --role-name and --external-id to AssumeRole: the wrong id fails only that account', async () => {
    const guarded: OrgFixture = {
      managementAccountId: '111111111111',
      organizationId: 'o-extid000001',
      accounts: [
        { id: '111111111111', name: 'management', report: { generatedUsers: { count: 1 } } },
        {
          id: '222222222222',
          name: 'audited',
          roles: [{ name: 'CredwardenAudit', externalId: 'ext-secret-1' }],
          report: { generatedUsers: { count: 1 } },
        },
        {
          id: '333333333333',
          name: 'other-id',
          roles: [{ name: 'CredwardenAudit', externalId: 'another-id' }],
          report: { generatedUsers: { count: 1 } },
        },
      ],
    };
    box = await startSandbox({ fixture: guarded });
    const events = await collectAll(optionsFor(box, { roleName: 'CredwardenAudit', externalId: 'ext-secret-1', context: 'none' }));
    const status = Object.fromEntries(
      events.map((e) => (e.type === 'scanned' ? [e.account.id, 'scanned'] : [e.outcome.id, e.outcome.reason])),
    );
    expect(status['111111111111']).toBe('scanned');
    expect(status['222222222222']).toBe('scanned');
    expect(status['333333333333']).toMatch(/^cannot assume arn:aws:iam::333333333333:role\/CredwardenAudit: AccessDenied/);
    expect(JSON.stringify(events)).not.toContain('ext-secret-1');
  });
});
