/**
 * `publish securityhub` against moto (an independent AWS emulator), when moto is installed:
 * the real STS and Security Hub clients, AssumeRole into each account, BatchImportFindings
 * there, findings read back with GetFindings in each account. moto has no BatchUpdateFindings,
 * so the result has no waived findings.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { ScanResult } from '../../src/model/index.js';
import { cli, tempDir } from '../helpers/cli.js';
import { readResultText } from '../helpers/result.js';

const hasMoto = spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' }).status === 0;
if (!hasMoto) process.stderr.write('\nmoto Security Hub test SKIPPED: python3 -m moto.server is not available\n\n');

/** moto's account for any credentials it did not issue. */
const CALLER = '123456789012';
const MEMBER = '210987654321';
const KEYS = { accessKeyId: 'AKIAMOTOTESTKEY00001', secretAccessKey: 'moto-secret' };

let moto: ChildProcess | undefined;
let endpoint = '';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  if (!hasMoto) return;
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  moto = spawn('python3', ['-m', 'moto.server', '-p', String(port)], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('moto did not start');
}, 20_000);

afterAll(() => {
  moto?.kill();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** The example organisation's open findings, moved into moto's caller account and one member. */
async function resultIn(dir: string): Promise<{ path: string; result: ScanResult }> {
  const path = join(dir, 'r.json');
  const run = await cli([
    'scan',
    '--from',
    'examples/org',
    '--as-of',
    '2026-11-01T12:00:00Z',
    '--format',
    'json',
    '--output',
    path,
    '--quiet',
  ]);
  expect(run.code).toBeLessThan(2);
  const move = (id: string) => (id === '222222222222' ? MEMBER : CALLER);
  const text = readFileSync(path, 'utf8').replace(/\b(111111111111|222222222222|333333333333|555555555555)\b/g, (id) => move(id));
  const result = readResultText(text);
  // Two source accounts now share the caller's id: keep one entry per account.
  const accounts = [...new Map(result.accounts.map((a) => [a.id, a])).values()];
  const moved = { ...result, accounts };
  writeFileSync(path, JSON.stringify(moved));
  return { path, result: moved };
}

async function findingsOf(keys: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Promise<string[]> {
  const client = new SecurityHubClient({ endpoint, region: 'us-east-1', credentials: keys });
  const out = await client.send(new GetFindingsCommand({ MaxResults: 100 }));
  return (out.Findings ?? []).map((f) => `${f.AwsAccountId}|${f.Id}`);
}

describe.skipIf(!hasMoto)('publish securityhub against moto', () => {
  it("imports each account's findings in that account, through AssumeRole", async () => {
    const { path, result } = await resultIn(tempDir());
    // The SDK's default credential chain reads the caller's keys from the process environment.
    vi.stubEnv('AWS_ACCESS_KEY_ID', KEYS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', KEYS.secretAccessKey);
    const run = await cli(['publish', 'securityhub', path, '--region', 'us-east-1'], {
      env: { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const expected = (account: string) =>
      result.findings
        .filter((f) => f.accountId === account)
        .map((f) => `${account}|credwarden/${f.fingerprint}`)
        .sort();
    expect((await findingsOf(KEYS)).sort()).toEqual(expected(CALLER));
    const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: KEYS });
    const assumed = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/credwarden-securityhub-publisher`, RoleSessionName: 'check' }),
    );
    const c = assumed.Credentials;
    const member = await findingsOf({
      accessKeyId: c?.AccessKeyId ?? '',
      secretAccessKey: c?.SecretAccessKey ?? '',
      sessionToken: c?.SessionToken ?? '',
    });
    expect(member.sort()).toEqual(expected(MEMBER));
  });
});
