/** Shared helpers for the AWS collector tests. */
import type { Clock } from '../../../src/collectors/aws/report.js';
import { withDefaults, type CollectOptions } from '../../../src/collectors/aws/options.js';
import type { SandboxHandle } from '../../../src/sandbox/index.js';

/** An AWS-style SDK error with a code (`name`). */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {}, $fault: 'client' });
}

/** A clock that never waits: sleep advances time. */
export function fakeClock(start = Date.parse('2026-11-27T00:00:00Z')): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    random: () => 0.5,
  };
}

/** A credential report CSV with a root row and the given users. */
export function reportCsv(accountId: string, options: { rootMfa?: boolean; users?: string[] } = {}): string {
  const header =
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
    'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
    'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
    'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const root = `<root_account>,arn:aws:iam::${accountId}:root,2020-01-01T00:00:00+00:00,not_supported,no_information,not_supported,not_supported,${options.rootMfa ?? true},false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
  const users = (options.users ?? []).map(
    (name) =>
      `${name},arn:aws:iam::${accountId}:user/${name},2024-01-01T00:00:00+00:00,true,2026-11-01T00:00:00+00:00,2024-01-01T00:00:00+00:00,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  );
  return [header, root, ...users].join('\n') + '\n';
}

/** The bytes GetCredentialReport returns. */
export function content(csv: string): Uint8Array {
  return new TextEncoder().encode(csv);
}

/** Assumes the default role in a sandbox account with the caller's keys and returns the temporary keys. */
export async function assumeInSandbox(
  box: { endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string } },
  accountId: string,
) {
  const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  const sts = new STSClient({ endpoint: box.endpoint, region: 'us-east-1', credentials: box.credentials, maxAttempts: 1 });
  const out = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, RoleSessionName: 'test' }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('AssumeRole returned no credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/**
 * Collector options aimed at a running sandbox: the whole organisation, every context call,
 * quick polling, and `maxAttempts` attempts per call.
 */
export function sandboxOptions(sandbox: SandboxHandle, maxAttempts: number, overrides: Partial<CollectOptions> = {}): CollectOptions {
  return withDefaults({
    selection: { mode: 'org' },
    pollDelayMs: { initial: 5, max: 20 },
    concurrency: 4,
    context: 'all',
    aws: {
      endpoints: { iam: sandbox.endpoint, sts: sandbox.endpoint, organizations: sandbox.endpoint },
      credentials: sandbox.credentials,
      maxAttempts,
    },
    ...overrides,
  });
}
