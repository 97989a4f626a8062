/**
 * The live path against the sandbox in situations real AWS produces and our happy-path
 * fixtures did not: a caller that is an assumed role (SSO, CI), another partition, an
 * organisation without all features, and credential reports as AWS may format them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type OrgFixture, type SandboxHandle } from '../../../src/sandbox/index.js';
import { collectOrganization, type AccountEvent } from '../../../src/collectors/aws/collect.js';
import type { CollectOptions } from '../../../src/collectors/aws/options.js';
import { reportCsv, sandboxOptions } from './helpers.js';

let box: SandboxHandle | undefined;
afterEach(async () => {
  await box?.close();
  box = undefined;
});

function optionsFor(sandbox: SandboxHandle, overrides: Partial<CollectOptions> = {}): CollectOptions {
  return sandboxOptions(sandbox, 3, overrides);
}

async function collectAll(options: CollectOptions): Promise<Map<string, AccountEvent>> {
  const events = new Map<string, AccountEvent>();
  for await (const event of collectOrganization(options)) events.set(event.type === 'scanned' ? event.account.id : event.outcome.id, event);
  return events;
}

const MGMT = '111111111111';
const MEMBER = '222222222222';

describe('live collection, as real AWS behaves', () => {
  it('caller is an assumed role in aws-us-gov: roles are assumed in that partition; the management account uses the caller and is not a member', async () => {
    const fixture: OrgFixture = {
      managementAccountId: MGMT,
      organizationId: 'o-govcloud0001',
      partition: 'aws-us-gov',
      callerRoleName: 'AWSReservedSSO_SecurityAudit_0123456789abcdef',
      features: ['RootCredentialsManagement', 'RootSessions'],
      accounts: [
        { id: MGMT, name: 'management', report: { generatedUsers: { count: 2, seed: 1 } } },
        { id: MEMBER, name: 'member', report: { generatedUsers: { count: 2, seed: 2 } } },
      ],
    };
    box = await startSandbox({ fixture });
    const events = await collectAll(optionsFor(box));
    const management = events.get(MGMT);
    const member = events.get(MEMBER);
    if (management?.type !== 'scanned' || member?.type !== 'scanned')
      throw new Error(`not scanned: ${JSON.stringify([...events.values()])}`);
    expect(management.calls.AssumeRole).toBeUndefined();
    expect(management.account).toMatchObject({ partition: 'aws-us-gov', facts: { rootCredentialsManagement: false, rootSessions: false } });
    expect(member.account).toMatchObject({ partition: 'aws-us-gov', facts: { rootCredentialsManagement: true, rootSessions: true } });
    const assumed = box.callLog.filter((c) => c.operation === 'AssumeRole');
    expect(assumed).toHaveLength(1);
    expect(assumed[0]).toMatchObject({ status: 200, targetAccountId: MEMBER });
    // Every IAM call was signed by the account it read.
    for (const call of box.callLog.filter((c) => c.service === 'iam' && c.operation !== 'ListOrganizationsFeatures'))
      expect([MGMT, MEMBER]).toContain(call.accountId);
  });

  it('an assumed-role caller chains roles: --duration above 1h is capped (AWS would reject every AssumeRole) and the scan says so', async () => {
    const fixture: OrgFixture = {
      managementAccountId: MGMT,
      organizationId: 'o-chained00001',
      callerRoleName: 'CiScanner',
      accounts: [
        { id: MGMT, name: 'management', report: { generatedUsers: { count: 1 } } },
        {
          id: MEMBER,
          name: 'member',
          roles: [{ name: 'OrganizationAccountAccessRole', maxSessionDuration: 43200 }],
          report: { generatedUsers: { count: 1 } },
        },
      ],
    };
    box = await startSandbox({ fixture });
    const warnings: string[] = [];
    const events = new Map<string, AccountEvent>();
    for await (const event of collectOrganization(optionsFor(box, { durationSeconds: 4 * 3600, context: 'none' }), {
      onPlan: (plan) => warnings.push(...plan.warnings),
    })) {
      events.set(event.type === 'scanned' ? event.account.id : event.outcome.id, event);
    }
    expect(events.get(MEMBER)?.type).toBe('scanned');
    expect(warnings).toEqual(['--duration capped at 1h: the caller is an assumed role, and AWS limits role chaining to one-hour sessions']);
  });

  it.each([
    ['an organisation without all features', { featureSet: 'CONSOLIDATED_BILLING' as const }],
    ['IAM trusted access not enabled', { iamTrustedAccess: false }],
  ])('%s: central root management is off (false), not unknown', async (_what, extra) => {
    const fixture: OrgFixture = {
      managementAccountId: MGMT,
      organizationId: 'o-billing00001',
      ...extra,
      accounts: [
        { id: MGMT, name: 'management', report: { generatedUsers: { count: 1 } } },
        { id: MEMBER, name: 'member', report: { generatedUsers: { count: 1 } } },
      ],
    };
    box = await startSandbox({ fixture });
    const member = (await collectAll(optionsFor(box))).get(MEMBER);
    if (member?.type !== 'scanned') throw new Error('member not scanned');
    expect(member.account.facts).toMatchObject({ rootCredentialsManagement: false, rootSessions: false });
  });

  it('reports with CRLF, no trailing newline or extra columns are read; a malformed one fails only its account, with the reason', async () => {
    const crlf = reportCsv('222222222222', { users: ['alice'] }).replace(/\n/g, '\r\n');
    const bare = reportCsv('333333333333', { users: ['bob'] }).trimEnd();
    const wider = reportCsv('444444444444', { users: ['carol'] })
      .trimEnd()
      .split('\n')
      .map((line, i) => `${line},${i === 0 ? 'future_column' : 'x'}`)
      .join('\n');
    const fixture: OrgFixture = {
      managementAccountId: MGMT,
      organizationId: 'o-reports00001',
      accounts: [
        { id: MGMT, name: 'management', report: { generatedUsers: { count: 1 } } },
        { id: '222222222222', name: 'crlf', report: { csv: crlf } },
        { id: '333333333333', name: 'bare', report: { csv: bare } },
        { id: '444444444444', name: 'wider', report: { csv: wider } },
        { id: '555555555555', name: 'broken', report: { generatedUsers: { count: 1 } }, faults: { malformedReport: true } },
      ],
    };
    box = await startSandbox({ fixture });
    const events = await collectAll(optionsFor(box, { context: 'none' }));
    const names = (id: string) => {
      const event = events.get(id);
      return event?.type === 'scanned' ? event.account.principals.map((p) => p.name) : event?.outcome.reason;
    };
    expect(names('222222222222')).toEqual(['<root_account>', 'alice']);
    expect(names('333333333333')).toEqual(['<root_account>', 'bob']);
    expect(names('444444444444')).toEqual(['<root_account>', 'carol']);
    expect(names('555555555555')).toMatch(/^malformed credential report: line \d+: /);
    expect(events.get(MGMT)?.type).toBe('scanned');
  });

  it('an endpoint with a fixed, years-old GeneratedTime (as some emulators answer): ages run from the newest recorded event, with a warning', async () => {
    const fixture: OrgFixture = {
      managementAccountId: MGMT,
      organizationId: 'o-oldtime00001',
      accounts: [
        { id: MGMT, name: 'management', report: { csv: reportCsv(MGMT, { users: ['alice'] }), generatedTime: '2015-02-02T20:02:02Z' } },
      ],
    };
    box = await startSandbox({ fixture });
    const event = (
      await collectAll(optionsFor(box, { selection: { mode: 'caller' }, context: 'none', maxReportAgeMs: 100 * 365 * 86_400_000 }))
    ).get(MGMT);
    if (event?.type !== 'scanned') throw new Error('not scanned');
    expect(event.account.reportGeneratedTime).toBe('2015-02-02T20:02:02Z');
    // alice's password was last used 2026-11-01 (see helpers.reportCsv).
    expect(event.account.asOf).toBe('2026-11-01T00:00:00Z');
    expect(event.warnings.map((w) => w.message)).toEqual([
      'GeneratedTime 2015-02-02T20:02:02Z is older than events the report records; ages are measured from the newest event, 2026-11-01T00:00:00Z',
    ]);
  });

  it('a real GeneratedTime (after every recorded event) is the as-of time', async () => {
    const fixture: OrgFixture = {
      managementAccountId: MGMT,
      organizationId: 'o-realtime0001',
      accounts: [
        { id: MGMT, name: 'management', report: { csv: reportCsv(MGMT, { users: ['alice'] }), generatedTime: '2026-11-01T00:30:00Z' } },
      ],
    };
    box = await startSandbox({ fixture });
    const event = (
      await collectAll(optionsFor(box, { selection: { mode: 'caller' }, context: 'none', maxReportAgeMs: 100 * 365 * 86_400_000 }))
    ).get(MGMT);
    if (event?.type !== 'scanned') throw new Error('not scanned');
    expect(event.account.asOf).toBeUndefined();
    expect(event.warnings).toEqual([]);
  });
});
