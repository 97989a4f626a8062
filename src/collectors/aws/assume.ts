/** Per-account credentials: STS AssumeRole into the scanning role. */
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { AccountFailure, describeError } from './errors.js';

/** Who the caller is. */
export interface CallerIdentity {
  accountId: string;
  arn: string;
  /** `aws`, `aws-cn` or `aws-us-gov`, from the caller's ARN. */
  partition: string;
}

/** The partition of an ARN (`arn:PARTITION:…`). */
export function partitionOf(arn: string): string {
  const [prefix, partition] = arn.split(':');
  if (prefix !== 'arn' || !partition) throw new Error(`not an ARN: ${arn}`);
  return partition;
}

/** GetCallerIdentity: the caller's account and partition. */
export async function callerIdentity(sts: STSClient): Promise<CallerIdentity> {
  const out = await sts.send(new GetCallerIdentityCommand({}));
  if (!out.Account || !out.Arn) throw new Error('GetCallerIdentity returned no account');
  return { accountId: out.Account, arn: out.Arn, partition: partitionOf(out.Arn) };
}

/** What to assume in each account. */
export interface RoleOptions {
  roleName: string;
  externalId?: string;
  roleSessionName: string;
  durationSeconds: number;
}

/** The ARN of the scanning role in an account. */
export function roleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/**
 * Assumes the scanning role in one account. The credentials stay in memory, are used for
 * that account's client only, and are never logged.
 * @throws AccountFailure naming the role and AWS's reason
 */
export async function assumeAccountRole(
  sts: STSClient,
  partition: string,
  accountId: string,
  options: RoleOptions,
): Promise<AwsCredentialIdentity> {
  const arn = roleArn(partition, accountId, options.roleName);
  let out;
  try {
    out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: arn,
        RoleSessionName: options.roleSessionName,
        DurationSeconds: options.durationSeconds,
        ...(options.externalId !== undefined ? { ExternalId: options.externalId } : {}),
      }),
    );
  } catch (error) {
    throw new AccountFailure(`cannot assume ${arn}: ${describeError(error)}`);
  }
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new AccountFailure(`AssumeRole into ${arn} returned no credentials`);
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
    ...(c.Expiration ? { expiration: c.Expiration } : {}),
  };
}
