import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AwsClients } from '../../../src/collectors/aws/clients.js';

afterEach(() => vi.unstubAllEnvs());

/** Points the SDK at a private ~/.aws so the machine's files never matter. */
function awsFiles(config: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'credwarden-aws-'));
  writeFileSync(join(dir, 'config'), config);
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
  vi.stubEnv('AWS_REGION', undefined);
  vi.stubEnv('AWS_DEFAULT_REGION', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
}

const keys = { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'not-a-secret' };

describe('AwsClients configuration', () => {
  it('an explicit region is used by every client', async () => {
    awsFiles('');
    const clients = new AwsClients({ region: 'eu-west-1', credentials: keys }, 1);
    expect(await clients.callerSts().config.region()).toBe('eu-west-1');
    expect(await clients.callerOrganizations().config.region()).toBe('eu-west-1');
    clients.close();
  });

  it("without a region: the profile's region, as the SDK resolves it", async () => {
    awsFiles('[profile audit]\nregion = eu-central-1\naws_access_key_id = AKIAEXAMPLEEXAMPLE00\naws_secret_access_key = x\n');
    const clients = new AwsClients({ profile: 'audit' }, 1);
    expect(await clients.callerSts().config.region()).toBe('eu-central-1');
    expect(await clients.callerIam().config.region()).toBe('eu-central-1');
    clients.close();
  });

  it('without any region: us-east-1, where the global IAM and Organizations endpoints sign', async () => {
    awsFiles('');
    const clients = new AwsClients({ credentials: keys }, 1);
    expect(await clients.callerIam().config.region()).toBe('us-east-1');
    expect(await clients.callerOrganizations().config.region()).toBe('us-east-1');
    clients.close();
  });

  it('assumed-role IAM clients use the custom IAM endpoint and only the given credentials', async () => {
    awsFiles('');
    const clients = new AwsClients(
      { region: 'us-east-1', credentials: keys, endpoints: { iam: 'http://127.0.0.1:4566/iam', sts: 'http://127.0.0.1:4567' } },
      1,
    );
    const member = { accessKeyId: 'ASIAEXAMPLEEXAMPLE00', secretAccessKey: 'member', sessionToken: 'token' };
    const iam = clients.accountIam(member);
    // Credentials come per call (see the shared-client tests below); outside a call there are none.
    await expect(iam.config.credentials()).rejects.toThrow(/outside its account/);
    const endpoint = await iam.config.endpoint?.();
    expect(endpoint).toMatchObject({ hostname: '127.0.0.1', port: 4566, path: '/iam', protocol: 'http:' });
    clients.close();
  });
});

describe('credential report Content as AWS-compatible endpoints may send it', () => {
  it('the decoder ignores every kind of whitespace between base64 characters', async () => {
    const { lenientBase64Decoder } = await import('../../../src/collectors/aws/clients.js');
    const bytes = Buffer.from('user,arn,user_creation_time\n'.repeat(40) + '\u00e9t\u00e9');
    const plain = bytes.toString('base64');
    for (const spaced of [
      plain.replace(/(.{76})/g, '$1\r\n'),
      `\n\t ${plain.replace(/(.{64})/g, '$1\n\t\t')} \n`,
      plain.replace(/(.)/g, '$1 '),
    ]) {
      expect(Buffer.from(lenientBase64Decoder(spaced))).toEqual(bytes);
    }
  });

  it('base64 wrapped every 76 characters and indented still decodes (the SDK alone rejects it)', async () => {
    const { createServer } = await import('node:http');
    const { fetchCredentialReport } = await import('../../../src/collectors/aws/report.js');
    const { reportCsv, fakeClock } = await import('./helpers.js');
    const csv = reportCsv('111111111111', { users: ['alice', 'bob', 'carol'] });
    const wrapped = Buffer.from(csv)
      .toString('base64')
      .replace(/(.{76})/g, '$1\n      ');
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'text/xml' });
        res.end(
          `<GetCredentialReportResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetCredentialReportResult>\n    <Content>\n      ${wrapped}\n    </Content>\n` +
            `<ReportFormat>text/csv</ReportFormat><GeneratedTime>2026-11-27T00:00:00Z</GeneratedTime></GetCredentialReportResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCredentialReportResponse>`,
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    awsFiles('');
    const clients = new AwsClients(
      { region: 'us-east-1', credentials: keys, endpoints: { iam: `http://127.0.0.1:${port}` }, maxAttempts: 1 },
      1,
    );
    try {
      const clock = fakeClock(Date.parse('2026-11-27T01:00:00Z'));
      const report = await fetchCredentialReport(
        clients.callerIam(),
        { maxReportAgeMs: 4 * 3_600_000, reportTimeoutMs: 1000, pollDelayMs: { initial: 1, max: 1 } },
        clock,
      );
      expect(report).toEqual({ csv, generatedTime: '2026-11-27T00:00:00Z' });
    } finally {
      clients.close();
      server.close();
    }
  });
});

describe('the caller STS client', () => {
  it('resolves its middleware once per command class, and concurrent AssumeRoles still get their own answers', async () => {
    const { generateOrganization, startSandbox } = await import('../../../src/sandbox/index.js');
    const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
    const box = await startSandbox({ fixture: generateOrganization({ accounts: 12, usersPerAccount: 1, seed: 3 }), recordCalls: false });
    const clients = new AwsClients({ region: 'us-east-1', credentials: box.credentials, endpoints: { sts: box.endpoint } }, 4);
    try {
      const sts = clients.callerSts();
      expect(sts.config.cacheMiddleware).toBe(true);
      const ids = Array.from({ length: 11 }, (_, i) => String(100_000_000_001 + i));
      // All at once, with inputs that differ per call: each answer must be its own request's.
      const arns = await Promise.all(
        ids.map(async (id, i) => {
          const out = await sts.send(
            new AssumeRoleCommand({
              RoleArn: `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`,
              RoleSessionName: `session-${i}`,
            }),
          );
          return out.AssumedRoleUser?.Arn;
        }),
      );
      expect(arns).toEqual(ids.map((id, i) => `arn:aws:sts::${id}:assumed-role/OrganizationAccountAccessRole/session-${i}`));
      // One handler for AssumeRole, resolved once and reused (the SDK keeps it per command class).
      const handlers = (sts as unknown as { handlers?: WeakMap<object, unknown> }).handlers;
      expect(handlers?.has(AssumeRoleCommand)).toBe(true);
    } finally {
      clients.close();
      await box.close();
    }
  });
});

describe("accounts' IAM clients (one shared client, credentials per call)", () => {
  it('accounts in flight at once each sign with their own credentials, retries included', async () => {
    const { generateOrganization, startSandbox } = await import('../../../src/sandbox/index.js');
    const { assumeAccountRole } = await import('../../../src/collectors/aws/assume.js');
    const { fetchCredentialReport } = await import('../../../src/collectors/aws/report.js');
    const { fakeClock } = await import('./helpers.js');
    const accounts = 24;
    const fixture = generateOrganization({ accounts, usersPerAccount: 2, seed: 5 });
    const box = await startSandbox({
      fixture,
      // Throttled IAM calls are retried after a jittered pause, so accounts interleave at every step.
      faults: { throttleProbability: 0.3, throttleOperations: ['GetCredentialReport', 'GenerateCredentialReport'] },
      latencyMs: 3,
    });
    const clients = new AwsClients(
      { region: 'us-east-1', credentials: box.credentials, endpoints: { sts: box.endpoint, iam: box.endpoint }, retryBaseDelayMs: 2 },
      accounts,
    );
    try {
      const sts = clients.callerSts();
      const ids = fixture.accounts.map((a) => a.id).filter((id) => id !== fixture.managementAccountId);
      expect(ids.length).toBe(accounts - 1);
      const calls: Record<string, number> = {};
      // The sandbox checks each signature against the secret of the key it names, and answers
      // with the report of that key's account: a request signed with another account's
      // credentials would come back with the wrong report.
      const reports = await Promise.all(
        ids.map(async (id) => {
          const credentials = await assumeAccountRole(sts, 'aws', id, {
            roleName: 'OrganizationAccountAccessRole',
            roleSessionName: 'test',
            durationSeconds: 900,
          });
          const iam = clients.accountIam(credentials, () => void (calls[id] = (calls[id] ?? 0) + 1));
          const options = { maxReportAgeMs: 4 * 3_600_000, reportTimeoutMs: 60_000, pollDelayMs: { initial: 1, max: 1 } };
          return (await fetchCredentialReport(iam, options, fakeClock(Date.now()))).csv;
        }),
      );
      reports.forEach((csv, i) => {
        const arns = [...csv.matchAll(/arn:aws:iam::(\d{12}):/g)].map((m) => m[1]);
        expect(arns.length).toBeGreaterThan(0);
        expect(new Set(arns)).toEqual(new Set([ids[i]]));
      });
      const log = box.callLog;
      expect(log.filter((c) => c.errorCode === 'Throttling').length).toBeGreaterThan(5);
      // Every IAM request named the key of the account it was for (the key's own account).
      const iamCalls = log.filter((c) => c.service === 'iam');
      expect(iamCalls.every((c) => c.status !== 403 && ids.includes(c.accountId))).toBe(true);
      // Calls are counted per account, retries not: each account's own, none shared.
      for (const id of ids) expect(calls[id]).toBe(iamCalls.filter((c) => c.accountId === id && c.errorCode !== 'Throttling').length);
    } finally {
      clients.close();
      await box.close();
    }
  });

  it('send the requests a client of their own sent: same headers, user agent included', async () => {
    const sent: Record<string, string>[] = [];
    const requestHandler = {
      metadata: { handlerProtocol: 'http/1.1' },
      handle: async (request: { headers: Record<string, string> }) => {
        sent.push({ ...request.headers });
        throw Object.assign(new Error('recorded, not sent'), { name: 'RecordedError', $metadata: {} });
      },
    };
    const { GetCredentialReportCommand } = await import('@aws-sdk/client-iam');
    awsFiles('');
    const caller = { ...keys, sessionToken: 'caller-token' };
    const clients = new AwsClients(
      { region: 'us-east-1', credentials: caller, endpoints: { iam: 'http://127.0.0.1:9' }, maxAttempts: 1, requestHandler },
      1,
    );
    const member = { accessKeyId: 'ASIAEXAMPLEEXAMPLE00', secretAccessKey: 'member', sessionToken: 'member-token' };
    // A client of its own, with the caller's credentials object, as each account used to get.
    await clients
      .callerIam()
      .send(new GetCredentialReportCommand({}))
      .catch(() => undefined);
    await clients
      .accountIam(member)
      .send(new GetCredentialReportCommand({}))
      .catch(() => undefined);
    clients.close();
    const [own, shared] = sent.map(({ authorization = '', ...headers }) => ({
      ...headers,
      'x-amz-date': '',
      'amz-sdk-invocation-id': '',
      'x-amz-security-token': '',
      credential: /Credential=([^/]+)/.exec(authorization)?.[1],
      signedHeaders: /SignedHeaders=([^,]+)/.exec(authorization)?.[1],
    }));
    expect(own?.credential).toBe(keys.accessKeyId);
    expect(shared).toEqual({ ...own, credential: member.accessKeyId });
    expect(sent[1]?.['x-amz-security-token']).toBe('member-token');
  });

  it('a request that does not come from an account is refused, not signed; the shared stack is not theirs to change', async () => {
    const sent: string[] = [];
    const requestHandler = {
      metadata: { handlerProtocol: 'http/1.1' },
      handle: async () => {
        sent.push('request');
        throw Object.assign(new Error('recorded, not sent'), { $metadata: {} });
      },
    };
    const { GetCredentialReportCommand } = await import('@aws-sdk/client-iam');
    const clients = new AwsClients(
      { region: 'us-east-1', credentials: keys, endpoints: { iam: 'http://127.0.0.1:9' }, maxAttempts: 1, requestHandler },
      1,
    );
    const iam = clients.accountIam({ accessKeyId: 'ASIAEXAMPLEEXAMPLE00', secretAccessKey: 'member', sessionToken: 'token' });
    const shared = Object.getPrototypeOf(iam) as typeof iam;
    await expect(shared.send(new GetCredentialReportCommand({}))).rejects.toThrow(/outside its account/);
    expect(sent).toEqual([]);
    expect(() => iam.middlewareStack).toThrow(/add middleware to the command/);
    clients.close();
  });
});
