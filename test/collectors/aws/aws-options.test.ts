import { describe, expect, it } from 'vitest';
import { collectOptionsFrom } from '../../../src/cli/aws-options.js';
import { parseDuration } from '../../../src/core/util/duration.js';
import type { CliIO } from '../../../src/cli/io.js';
import { InputError } from '../../../src/model/index.js';

const io = (env: Record<string, string> = {}): CliIO => ({
  stdout: () => {},
  stderr: () => {},
  env,
  cwd: process.cwd(),
  stdoutIsTTY: false,
  stderrIsTTY: false,
  now: () => new Date(0),
});

describe('parseDuration', () => {
  it.each([
    ['4h', 14_400_000],
    ['30m', 1_800_000],
    ['1h30m', 5_400_000],
    ['90s', 90_000],
    ['250ms', 250],
    ['3600', 3_600_000],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'h', '4 hours', '10h30x', '-5m'])('%j is malformed', (text) => expect(parseDuration(text)).toBeNaN());
});

describe('collectOptionsFrom', () => {
  it('defaults: the caller account, the default role, 16 in parallel, auto context', () => {
    const options = collectOptionsFrom({}, io(), []);
    expect(options).toMatchObject({
      selection: { mode: 'caller' },
      roleName: 'OrganizationAccountAccessRole',
      roleSessionName: 'credwarden',
      durationSeconds: 3600,
      maxReportAgeMs: 14_400_000,
      reportTimeoutMs: 300_000,
      concurrency: 16,
      context: 'auto',
      aws: { endpoints: {} },
    });
  });

  it('selection modes', () => {
    expect(collectOptionsFrom({ org: true, excludeAccounts: ['222222222222'] }, io(), []).selection).toEqual({
      mode: 'org',
      exclude: ['222222222222'],
    });
    expect(collectOptionsFrom({ ou: ['ou-ab12-cd34ef56'] }, io(), []).selection).toEqual({
      mode: 'org',
      organizationalUnits: ['ou-ab12-cd34ef56'],
    });
    expect(collectOptionsFrom({ accounts: ['222222222222'] }, io(), []).selection).toEqual({
      mode: 'accounts',
      accounts: ['222222222222'],
    });
  });

  it('role flags and durations', () => {
    const options = collectOptionsFrom(
      {
        roleName: 'audit/CredwardenAudit',
        externalId: 'ext:id/1',
        roleSessionName: 'nightly.scan',
        duration: '15m',
        maxReportAge: '1h',
        reportTimeout: '90s',
        concurrency: '64',
      },
      io(),
      [],
    );
    expect(options).toMatchObject({
      roleName: 'audit/CredwardenAudit',
      externalId: 'ext:id/1',
      roleSessionName: 'nightly.scan',
      durationSeconds: 900,
      maxReportAgeMs: 3_600_000,
      reportTimeoutMs: 90_000,
      concurrency: 64,
    });
  });

  it('endpoints: --endpoint-url, else the service variable, else AWS_ENDPOINT_URL; region and profile from the environment', () => {
    const env = {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
      AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:2',
      AWS_REGION: 'eu-west-1',
      AWS_PROFILE: 'audit',
    };
    expect(collectOptionsFrom({}, io(env), []).aws).toEqual({
      region: 'eu-west-1',
      profile: 'audit',
      endpoints: { iam: 'http://127.0.0.1:2', sts: 'http://127.0.0.1:1', organizations: 'http://127.0.0.1:1' },
      requestTimeoutMs: 30_000,
    });
    expect(collectOptionsFrom({ endpointUrl: 'http://127.0.0.1:3', region: 'us-west-2', profile: 'other' }, io(env), []).aws).toEqual({
      region: 'us-west-2',
      profile: 'other',
      endpoints: { iam: 'http://127.0.0.1:3', sts: 'http://127.0.0.1:3', organizations: 'http://127.0.0.1:3' },
      requestTimeoutMs: 30_000,
    });
  });

  it('--request-timeout, else CREDWARDEN_REQUEST_TIMEOUT, bounds every AWS request', () => {
    expect(collectOptionsFrom({ requestTimeout: '2s' }, io({ CREDWARDEN_REQUEST_TIMEOUT: '5s' }), []).aws.requestTimeoutMs).toBe(2000);
    expect(collectOptionsFrom({}, io({ CREDWARDEN_REQUEST_TIMEOUT: '250ms' }), []).aws.requestTimeoutMs).toBe(250);
    expect(() => collectOptionsFrom({}, io({ CREDWARDEN_REQUEST_TIMEOUT: 'never' }), [])).toThrow(/invalid AWS options/);
  });

  it('each service variable wins over AWS_ENDPOINT_URL for its own service only; empty variables are unset', () => {
    const env = {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4',
      AWS_ENDPOINT_URL_ORGANIZATIONS: 'http://127.0.0.1:5',
      AWS_ENDPOINT_URL_IAM: '',
    };
    expect(collectOptionsFrom({}, io(env), []).aws.endpoints).toEqual({
      iam: 'http://127.0.0.1:1',
      sts: 'http://127.0.0.1:4',
      organizations: 'http://127.0.0.1:5',
    });
  });

  it('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true ignores the variables, not --endpoint-url', () => {
    const env = {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
      AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:2',
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
    };
    expect(collectOptionsFrom({}, io(env), []).aws.endpoints).toEqual({});
    expect(collectOptionsFrom({ endpointUrl: 'http://127.0.0.1:3' }, io(env), []).aws.endpoints).toEqual({
      iam: 'http://127.0.0.1:3',
      sts: 'http://127.0.0.1:3',
      organizations: 'http://127.0.0.1:3',
    });
  });

  it('AWS_MAX_ATTEMPTS sets the attempts per call; a bad value is a usage error', () => {
    expect(collectOptionsFrom({}, io({ AWS_MAX_ATTEMPTS: '4' }), []).aws.maxAttempts).toBe(4);
    expect(collectOptionsFrom({}, io(), []).aws.maxAttempts).toBeUndefined();
    expect(() => collectOptionsFrom({}, io({ AWS_MAX_ATTEMPTS: 'many' }), [])).toThrow(InputError);
  });

  it('a bad endpoint names the variable it came from', () => {
    const error = (() => {
      try {
        collectOptionsFrom({}, io({ AWS_ENDPOINT_URL_ORGANIZATIONS: 'localhost:4566' }), []);
      } catch (e) {
        return e as InputError;
      }
      return undefined;
    })();
    expect(error?.diagnostics.map((d) => `${d.file}: ${d.message}`)).toEqual([
      "AWS_ENDPOINT_URL_ORGANIZATIONS: 'localhost:4566' is not an http(s) URL",
    ]);
  });

  it('reports every bad value at once', () => {
    let error: unknown;
    try {
      collectOptionsFrom(
        {
          accounts: ['12'],
          roleName: 'bad name!',
          roleSessionName: 'x',
          duration: '1m',
          excludeAccounts: ['abc'],
          ou: ['ou_bad'],
          concurrency: '2.5',
        },
        io(),
        [],
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).diagnostics.map((d) => `${d.file}: ${d.message}`)).toEqual([
      "--accounts: '12' is not a 12-digit account id (2 digits)",
      '--exclude-accounts: 3 characters (letters), not a 12-digit account id',
      "--ou: 'ou_bad' is not an OU or root id",
      "--role-name: 'bad name!' is not a valid IAM role name",
      "--role-session-name: 'x' is not a valid session name",
      "--duration: '1m' is out of range",
      "--concurrency: '2.5' is not a whole number from 1 to 512",
    ]);
  });

  it('--demo cannot be combined with another target or endpoint', () => {
    expect(() => collectOptionsFrom({ demo: true, endpointUrl: 'http://127.0.0.1:1' }, io(), [])).toThrow(InputError);
    expect(collectOptionsFrom({ demo: true }, io(), []).selection.mode).toBe('org');
    expect(collectOptionsFrom({ demo: true, ou: ['ou-demo-workloads'] }, io(), []).selection).toEqual({
      mode: 'org',
      organizationalUnits: ['ou-demo-workloads'],
    });
  });
});
