/**
 * `credwarden publish securityhub` against the sandbox's Security Hub, through the real
 * @aws-sdk/client-securityhub: per-account roles, batches of 100, FailedFindings, throttling,
 * waivers in the workflow, and archiving of findings resolved since --baseline.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchImportFindingsCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { startSandbox, type FixtureAccount, type OrgFixture, type SandboxHandle, type SandboxOptions } from '../../src/sandbox/index.js';
import type { Finding, ScanResult } from '../../src/model/index.js';
import { enforcePublishAllowList, PublishViolation } from '../../src/collectors/securityhub/allow-list.js';
import { resultToAsff } from '../../src/core/securityhub/asff.js';
import { cli, tempDir } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

let box: SandboxHandle | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await box?.close();
  box = undefined;
});

const ROLE = 'credwarden-securityhub-publisher';
const account = (id: string, name: string, extra: Partial<FixtureAccount> = {}): FixtureAccount => ({ id, name, roles: [ROLE], ...extra });
/** The example organisation's accounts (examples/org), with the publishing role in each member. */
function fixture(overrides: Partial<Record<string, Partial<FixtureAccount>>> = {}): OrgFixture {
  return {
    managementAccountId: '111111111111',
    organizationId: 'o-publish0001',
    accounts: [
      { id: '111111111111', name: 'management', ...overrides['111111111111'] },
      account('222222222222', 'payments-prod', overrides['222222222222']),
      account('333333333333', 'data-dev', overrides['333333333333']),
      account('555555555555', 'security-audit', overrides['555555555555']),
    ],
  };
}

async function start(options: Partial<SandboxOptions> & { fixture: OrgFixture }): Promise<SandboxHandle> {
  box = await startSandbox(options);
  // The SDK's default credential chain reads the caller's keys from the environment.
  vi.stubEnv('AWS_ACCESS_KEY_ID', box.credentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', box.credentials.secretAccessKey);
  return box;
}

function env(sandbox: SandboxHandle): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: sandbox.endpoint,
    AWS_ACCESS_KEY_ID: sandbox.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sandbox.credentials.secretAccessKey,
    AWS_REGION: 'eu-west-1',
  };
}

async function scan(dir: string, name: string, extra: string[], from = 'examples/org'): Promise<{ path: string; result: ScanResult }> {
  const path = join(dir, name);
  const run = await cli(['scan', '--from', from, '--format', 'json', '--output', path, '--quiet', ...extra]);
  expect(run.code, run.stderr).toBeLessThan(2);
  return { path, result: readResultText(readFileSync(path, 'utf8')) };
}

const count = (result: ScanResult, accountId: string) => result.findings.filter((f) => f.accountId === accountId).length;

describe('credwarden publish securityhub', () => {
  it("imports each account's findings with that account's credentials, and suppresses waived ones", async () => {
    const sandbox = await start({ fixture: fixture() });
    const dir = tempDir();
    const { path, result } = await scan(dir, 'r.json', ['--as-of', '2026-11-01T12:00:00Z', '--waivers', 'reports/examples/waivers.yaml']);
    const run = await cli(['publish', 'securityhub', path], { env: env(sandbox) });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const accounts = [...new Set(result.findings.map((f) => f.accountId))].sort();
    expect(accounts.length).toBeGreaterThan(2);
    for (const id of accounts) {
      const stored = sandbox.securityHubFindings(id, 'eu-west-1');
      expect(stored).toHaveLength(count(result, id));
      expect(
        stored.every((f) => f.AwsAccountId === id && f.ProductArn === `arn:aws:securityhub:eu-west-1:${id}:product/${id}/default`),
      ).toBe(true);
    }
    // Members through the publishing role; the caller's own account with its own credentials.
    const assumed = sandbox.callLog
      .filter((c) => c.operation === 'AssumeRole')
      .map((c) => c.targetAccountId)
      .sort();
    expect(assumed).toEqual(accounts.filter((id) => id !== '111111111111'));
    const imports = sandbox.callLog.filter((c) => c.operation === 'BatchImportFindings');
    expect(new Set(imports.map((c) => c.accountId))).toEqual(new Set(accounts));
    // Waived findings: SUPPRESSED with the waiver in the note (BatchUpdateFindings).
    const waived = result.findings.filter((f) => f.status === 'waived');
    expect(waived.length).toBeGreaterThan(0);
    for (const f of waived) {
      const stored = sandbox.securityHubFindings(f.accountId).find((s) => s.Id === `credwarden/${f.fingerprint}`);
      expect(stored?.Workflow).toEqual({ Status: 'SUPPRESSED' });
      expect(JSON.stringify(stored?.Note)).toContain(f.waiver?.id ?? 'missing');
    }
    const open = result.findings.find((f) => f.status === 'open') as Finding;
    expect(sandbox.securityHubFindings(open.accountId).find((s) => s.Id === `credwarden/${open.fingerprint}`)?.Workflow).toEqual({
      Status: 'NEW',
    });
  });

  it('archives the findings resolved since --baseline, so Security Hub stops showing them as active', async () => {
    const sandbox = await start({ fixture: fixture() });
    const dir = tempDir();
    // A week later, carol's user was deleted: her findings are resolved.
    const org = join(dir, 'org');
    cpSync('examples/org', org, { recursive: true });
    const csv = join(org, '222222222222-payments-prod.2026-11-01T120000Z.csv');
    writeFileSync(
      csv,
      readFileSync(csv, 'utf8')
        .split('\n')
        .filter((line) => !line.startsWith('carol,'))
        .join('\n'),
    );
    const earlier = await scan(dir, 'earlier.json', ['--as-of', '2026-11-01T12:00:00Z']);
    const later = await scan(dir, 'later.json', ['--as-of', '2026-11-08T12:00:00Z'], org);
    const now = new Set(later.result.findings.map((f) => f.fingerprint));
    const resolved = earlier.result.findings.filter((f) => !now.has(f.fingerprint));
    expect(resolved.length).toBeGreaterThan(0);
    expect((await cli(['publish', 'securityhub', earlier.path], { env: env(sandbox) })).code).toBe(0);
    const run = await cli(['publish', 'securityhub', later.path, '--baseline', earlier.path], { env: env(sandbox) });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    for (const f of resolved) {
      const stored = sandbox.securityHubFindings(f.accountId).find((s) => s.Id === `credwarden/${f.fingerprint}`);
      expect(stored).toMatchObject({ RecordState: 'ARCHIVED', Compliance: { Status: 'PASSED' } });
    }
    const active = Object.fromEntries(
      [...new Set(earlier.result.findings.map((f) => f.accountId))].map((id) => [
        id,
        sandbox.securityHubFindings(id).filter((s) => s.RecordState === 'ACTIVE').length,
      ]),
    );
    expect(active).toEqual(Object.fromEntries(Object.keys(active).map((id) => [id, count(later.result, id)])));
    expect(run.stdout).toMatch(new RegExp(`\\(${resolved.filter((f) => f.accountId === '222222222222').length} archived\\)`));
  });

  it('sends at most 100 findings per BatchImportFindings and retries throttling (429)', async () => {
    // A tight Security Hub rate in every account: the import must wait and retry, not fail.
    const sandbox = await start({
      fixture: fixture(),
      faults: { buckets: [{ service: 'securityhub', perAccount: true, ratePerSecond: 4, burst: 1 }] },
    });
    const dir = tempDir();
    const { result } = await scan(dir, 'r.json', ['--as-of', '2026-11-01T12:00:00Z']);
    const template = result.findings.find((f) => f.accountId === '222222222222') as Finding;
    const many = Array.from({ length: 250 }, (_, i) => ({
      ...template,
      fingerprint: `${String(i).padStart(4, '0')}${template.fingerprint.slice(4)}`,
    }));
    const path = join(dir, 'many.json');
    writeFileSync(path, JSON.stringify({ ...result, findings: many }));
    const run = await cli(['publish', 'securityhub', path], { env: { ...env(sandbox), AWS_MAX_ATTEMPTS: '20' } });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(sandbox.securityHubFindings('222222222222')).toHaveLength(250);
    const ok = sandbox.callLog.filter((c) => c.operation === 'BatchImportFindings' && c.status === 200);
    expect(ok).toHaveLength(3);
    expect(sandbox.stats().throttled).toBeGreaterThan(0);
    expect(sandbox.callLog.some((c) => c.status === 429 && c.errorCode === 'TooManyRequestsException')).toBe(true);
  });

  it('reports FailedFindings and unreachable accounts, and exits 3', async () => {
    const sandbox = await start({
      fixture: fixture({ '333333333333': { securityHub: { enabled: false } }, '222222222222': { faults: { denyAssumeRole: true } } }),
    });
    const dir = tempDir();
    const { path, result } = await scan(dir, 'r.json', ['--as-of', '2026-11-01T12:00:00Z']);
    const run = await cli(['publish', 'securityhub', path], { env: env(sandbox) });
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/333333333333: 0 imported .* \d+ failed/);
    expect(run.stdout).toMatch(
      /failed credwarden\/[0-9a-f]{32}: InvalidAccess: Account 333333333333 is not subscribed to AWS Security Hub/,
    );
    expect(run.stdout).toMatch(
      /222222222222: not published: cannot assume arn:aws:iam::222222222222:role\/credwarden-securityhub-publisher: .*AccessDenied/,
    );
    expect(sandbox.securityHubFindings('111111111111')).toHaveLength(count(result, '111111111111'));
    expect(run.stderr).not.toContain(sandbox.credentials.secretAccessKey);
  });

  it('--dry-run calls nothing', async () => {
    const sandbox = await start({ fixture: fixture() });
    const { path } = await scan(tempDir(), 'r.json', []);
    const run = await cli(['publish', 'securityhub', path, '--dry-run'], { env: env(sandbox) });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/222222222222: \d+ active, 0 archived in 1 BatchImportFindings/);
    expect(sandbox.callLog).toHaveLength(0);
  });

  it('rejects bad flags all at once', async () => {
    const { path } = await scan(tempDir(), 'r.json', []);
    const run = await cli(['publish', 'securityhub', path, '--role-name', 'arn:aws:iam::1:role/x', '--region', 'moon', '--accounts', '12']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--role-name');
    expect(run.stderr).toContain('--region');
    expect(run.stderr).toContain('--accounts');
  });
});

describe('Security Hub in the sandbox, through the real client', () => {
  const client = (sandbox: SandboxHandle, keys = sandbox.credentials) =>
    new SecurityHubClient({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials: keys, maxAttempts: 1 });

  it("refuses another account's default product ARN, more than 100 findings, and malformed findings", async () => {
    const sandbox = await start({ fixture: fixture() });
    const { result } = await scan(tempDir(), 'r.json', ['--as-of', '2026-11-01T12:00:00Z']);
    const asff = resultToAsff(result, 'us-east-1', 't');
    const foreign = asff.filter((f) => f.AwsAccountId === '222222222222');
    // The caller is the management account: AWS authorises the product ARN, which names 222222222222.
    await expect(client(sandbox).send(new BatchImportFindingsCommand({ Findings: foreign }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
    });
    const own = asff.filter((f) => f.AwsAccountId === '111111111111');
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ ...own[0], Id: `x-${i}` }));
    await expect(client(sandbox).send(new BatchImportFindingsCommand({ Findings: tooMany as typeof own }))).rejects.toMatchObject({
      name: 'InvalidInputException',
      $metadata: { httpStatusCode: 400 },
    });
    const broken = { ...own[0], Title: 'x'.repeat(257), Id: 'broken' } as (typeof own)[number];
    const out = await client(sandbox).send(new BatchImportFindingsCommand({ Findings: [broken, ...own] }));
    expect(out).toMatchObject({ FailedCount: 1, SuccessCount: own.length });
    expect(out.FailedFindings?.[0]).toMatchObject({ Id: 'broken', ErrorCode: 'InvalidInput' });
    expect(out.FailedFindings?.[0]?.ErrorMessage).toContain('data.Title should NOT be longer than 256 characters');
  });

  it('ignores an update that is not newer, and keeps the workflow an import cannot change', async () => {
    const sandbox = await start({ fixture: fixture() });
    const { result } = await scan(tempDir(), 'r.json', ['--as-of', '2026-11-01T12:00:00Z']);
    const [first] = resultToAsff(result, 'us-east-1', 't').filter((f) => f.AwsAccountId === '111111111111');
    if (!first) throw new Error('no finding');
    await client(sandbox).send(new BatchImportFindingsCommand({ Findings: [{ ...first, Workflow: { Status: 'SUPPRESSED' } }] }));
    await client(sandbox).send(
      new BatchImportFindingsCommand({ Findings: [{ ...first, Title: 'stale', UpdatedAt: '2026-01-01T00:00:00Z' }] }),
    );
    await client(sandbox).send(
      new BatchImportFindingsCommand({
        Findings: [{ ...first, Title: 'newer', UpdatedAt: '2026-12-01T00:00:00Z', Workflow: { Status: 'NEW' } }],
      }),
    );
    const [stored] = sandbox.securityHubFindings('111111111111');
    expect(stored).toMatchObject({ Title: 'newer', Workflow: { Status: 'SUPPRESSED' } });
  });

  it('the publish client refuses every operation but BatchImportFindings and BatchUpdateFindings before sending', async () => {
    const sandbox = await start({ fixture: fixture() });
    const guarded = enforcePublishAllowList(client(sandbox), 'securityhub');
    await expect(guarded.send(new GetFindingsCommand({}))).rejects.toBeInstanceOf(PublishViolation);
    expect(sandbox.callLog).toHaveLength(0);
  });
});
