import { beforeAll, describe, expect, it } from 'vitest';
import { resolveAwsConfig } from '../../../src/collectors/aws/sdk-config.js';
import { buildProgram } from '../../../src/cli/run.js';
import { givenAwsFlags } from '../../../src/cli/aws-options.js';
import type { CliIO } from '../../../src/cli/io.js';
import { cli } from '../../helpers/cli.js';

describe('resolveAwsConfig: explicit values, then the environment, then defaults', () => {
  const env = {
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-2',
    AWS_PROFILE: 'audit',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
    AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:2',
    CREDWARDEN_REQUEST_TIMEOUT: '5s',
  };

  it('takes the environment when nothing is explicit', () => {
    expect(resolveAwsConfig({}, env)).toEqual({
      config: {
        region: 'eu-west-1',
        profile: 'audit',
        endpoints: { iam: 'http://127.0.0.1:2', sts: 'http://127.0.0.1:1', organizations: 'http://127.0.0.1:1' },
        requestTimeoutMs: 5000,
      },
      problems: [],
    });
    expect(resolveAwsConfig({}, { AWS_DEFAULT_REGION: 'eu-west-2' }).config).toEqual({
      region: 'eu-west-2',
      endpoints: {},
      requestTimeoutMs: 30_000,
    });
  });

  it('explicit values win over the environment', () => {
    const explicit = {
      endpointUrl: { value: 'http://127.0.0.1:9', flag: '--endpoint-url' },
      region: 'us-west-2',
      profile: 'ci',
      requestTimeout: { value: '2s', flag: '--request-timeout' },
    };
    expect(resolveAwsConfig(explicit, env).config).toEqual({
      region: 'us-west-2',
      profile: 'ci',
      endpoints: { iam: 'http://127.0.0.1:9', sts: 'http://127.0.0.1:9', organizations: 'http://127.0.0.1:9' },
      requestTimeoutMs: 2000,
    });
  });

  it('ignores configured endpoint variables when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true', () => {
    expect(resolveAwsConfig({}, { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'TRUE' }).config.endpoints).toEqual({});
  });

  it('names the flag or variable of each problem', () => {
    const { problems } = resolveAwsConfig(
      { requestTimeout: { value: '10m30x', flag: '--request-timeout' } },
      { AWS_ENDPOINT_URL_STS: 'ftp://x', AWS_MAX_ATTEMPTS: '0' },
    );
    expect(problems.map((p) => `${p.file}: ${p.message}`)).toEqual([
      "--request-timeout: '10m30x' is not a duration",
      "AWS_ENDPOINT_URL_STS: 'ftp://x' is not an http(s) URL",
      "AWS_MAX_ATTEMPTS: '0' is not a whole number from 1 to 100",
    ]);
  });
});

describe('one declaration of the AWS flags', () => {
  const io = {
    stdout: () => {},
    stderr: () => {},
    env: {},
    cwd: process.cwd(),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    now: () => new Date(),
  } as CliIO;
  let program: Awaited<ReturnType<typeof buildProgram>>;
  beforeAll(async () => {
    program = await buildProgram(io, () => {});
  });
  const flagsOf = (name: string) => program.commands.find((c) => c.name() === name)?.options.map((o) => o.long) ?? [];

  it('scan and explain offer the same AWS flags, and every one of them is known to the conflict checks', () => {
    const everything = Object.fromEntries(
      [
        'org',
        'accounts',
        'accountsFile',
        'ou',
        'excludeAccounts',
        'roleName',
        'externalId',
        'roleSessionName',
        'duration',
        'assumeRoleInCaller',
        'maxReportAge',
        'reportTimeout',
        'requestTimeout',
        'concurrency',
        'accountContext',
        'profile',
        'region',
        'endpointUrl',
        'allowPartial',
        'demo',
      ].map((k) => [k, 'x']),
    );
    const all = givenAwsFlags(everything);
    expect(all).toHaveLength(20);
    for (const flag of all) {
      expect(flagsOf('scan')).toContain(flag);
      expect(flagsOf('explain')).toContain(flag);
    }
    expect(all.filter((f) => !givenAwsFlags(everything, ['live']).includes(f))).toEqual([
      '--accounts',
      '--accounts-file',
      '--exclude-accounts',
      '--allow-partial',
    ]);
  });

  it('explain --snapshot refuses every live-scan flag, naming those given', async () => {
    const { code, stderr } = await cli([
      'explain',
      'arn:aws:iam::111122223333:user/alice',
      '--snapshot',
      'saved.json',
      '--profile',
      'audit',
      '--request-timeout',
      '5s',
    ]);
    expect(stderr).toContain('--snapshot reads saved evidence: it cannot be combined with live-scan flags (--request-timeout, --profile)');
    expect(code).toBe(2);
  });
});
