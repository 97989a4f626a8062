/**
 * Publishing to AWS Security Hub: for each account, credentials for that account (the caller's
 * own, or AssumeRole into the publishing role), then BatchImportFindings batch by batch and
 * BatchUpdateFindings for the waiver workflow. With the default product ARN Security Hub only
 * accepts an account's findings from that account, which is why every account is published
 * with its own credentials. Throttling (429) and 5xx are retried by the SDK with credwarden's
 * jittered backoff; FailedFindings and UnprocessedFindings are collected, never hidden.
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity } from '@smithy/types';
import { BatchImportFindingsCommand, BatchUpdateFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import pLimit from 'p-limit';
import type { AccountPublication } from '../../core/securityhub/publication.js';
import { AwsClients } from '../aws/clients.js';
import { assumeAccountRole, callerIdentity, type RoleOptions } from '../aws/assume.js';
import { AccountFailure, describeError } from '../aws/errors.js';
import { ScanRetryStrategy } from '../aws/retry.js';
import { enforcePublishAllowList } from './allow-list.js';

/** Where and how to reach AWS for publishing. */
export interface PublishAwsConfig {
  /** Region of the Security Hub to publish to (also the ProductArn's Region). */
  region: string;
  profile?: string;
  /** Explicit base credentials (tests, the sandbox); default the SDK's credential chain. */
  credentials?: AwsCredentialIdentity;
  endpoints?: { sts?: string; securityhub?: string };
  /** Attempts per call including the first; default 10. */
  maxAttempts?: number;
  /** Backoff base in ms; default 100. */
  retryBaseDelayMs?: number;
}

/** Options of {@link publishFindings}. */
export interface PublishOptions {
  aws: PublishAwsConfig;
  role: RoleOptions;
  /** Assume the role in the caller's own account too, instead of using the caller's credentials. */
  assumeRoleInCaller: boolean;
  /** Accounts published in parallel. */
  concurrency: number;
}

/** A finding Security Hub (or credwarden) did not take. */
export interface FailedFinding {
  Id: string;
  ErrorCode: string;
  ErrorMessage: string;
}

/** What happened in one account. */
export interface AccountPublishOutcome {
  accountId: string;
  /** Findings Security Hub accepted (SuccessCount), of which archived (resolved) ones. */
  imported: number;
  archived: number;
  /** Findings whose workflow was updated (waived → SUPPRESSED, waiver ended → NEW). */
  workflowUpdated: number;
  failed: FailedFinding[];
  /** Set when nothing could be published in the account (e.g. the role could not be assumed). */
  error?: string;
}

function securityHubClient(
  config: PublishAwsConfig,
  handler: NodeHttpHandler,
  credentials: AwsCredentialIdentity | undefined,
): SecurityHubClient {
  const maxAttempts = config.maxAttempts ?? 10;
  const client = new SecurityHubClient({
    region: config.region,
    requestHandler: handler,
    maxAttempts,
    retryStrategy: new ScanRetryStrategy({
      maxAttempts,
      ...(config.retryBaseDelayMs !== undefined ? { baseDelayMs: config.retryBaseDelayMs } : {}),
    }),
    ...(config.endpoints?.securityhub ? { endpoint: config.endpoints.securityhub } : {}),
    ...(credentials ? { credentials } : config.profile ? { profile: config.profile } : {}),
  });
  return enforcePublishAllowList(client, 'securityhub');
}

/** Sends one account's publication with `client`; never throws. */
async function publishAccount(client: SecurityHubClient, publication: AccountPublication): Promise<AccountPublishOutcome> {
  const outcome: AccountPublishOutcome = { accountId: publication.accountId, imported: 0, archived: 0, workflowUpdated: 0, failed: [] };
  outcome.failed.push(...publication.rejected.map((r) => ({ Id: r.Id, ErrorCode: 'FindingTooLarge', ErrorMessage: r.reason })));
  const failedIds = new Set<string>();
  for (const batch of publication.batches) {
    try {
      const out = await client.send(new BatchImportFindingsCommand({ Findings: batch }));
      for (const f of out.FailedFindings ?? []) {
        failedIds.add(f.Id ?? '');
        outcome.failed.push({ Id: f.Id ?? '', ErrorCode: f.ErrorCode ?? 'Unknown', ErrorMessage: f.ErrorMessage ?? '' });
      }
      outcome.imported += out.SuccessCount ?? 0;
      outcome.archived += batch.filter((f) => f.RecordState === 'ARCHIVED' && !failedIds.has(f.Id ?? '')).length;
    } catch (error) {
      const reason = describeError(error);
      for (const f of batch) outcome.failed.push({ Id: f.Id ?? '', ErrorCode: 'RequestFailed', ErrorMessage: reason });
      for (const f of batch) failedIds.add(f.Id ?? '');
    }
  }
  for (const update of publication.updates) {
    // A finding that was not imported cannot be updated; it is already reported.
    const identifiers = update.identifiers.filter((i) => !failedIds.has(i.Id ?? ''));
    if (identifiers.length === 0) continue;
    try {
      const out = await client.send(
        new BatchUpdateFindingsCommand({
          FindingIdentifiers: identifiers,
          Workflow: { Status: update.status },
          Note: { Text: update.note, UpdatedBy: 'credwarden' },
        }),
      );
      outcome.workflowUpdated += out.ProcessedFindings?.length ?? 0;
      for (const u of out.UnprocessedFindings ?? [])
        outcome.failed.push({ Id: u.FindingIdentifier?.Id ?? '', ErrorCode: u.ErrorCode ?? 'Unknown', ErrorMessage: u.ErrorMessage ?? '' });
    } catch (error) {
      const reason = describeError(error);
      for (const i of identifiers)
        outcome.failed.push({ Id: i.Id ?? '', ErrorCode: 'RequestFailed', ErrorMessage: `BatchUpdateFindings: ${reason}` });
    }
  }
  return outcome;
}

/**
 * Publishes every account's findings with that account's own credentials.
 * @param onAccount called as each account finishes (progress)
 * @throws when the caller's identity cannot be read (no usable credentials)
 */
export async function publishFindings(
  publications: readonly AccountPublication[],
  options: PublishOptions,
  onAccount?: (outcome: AccountPublishOutcome) => void,
): Promise<AccountPublishOutcome[]> {
  const clients = new AwsClients(
    {
      region: options.aws.region,
      ...pickDefined(options.aws),
      endpoints: options.aws.endpoints?.sts ? { sts: options.aws.endpoints.sts } : {},
    },
    options.concurrency,
  );
  const handler = new NodeHttpHandler({ connectionTimeout: 10_000, requestTimeout: 30_000 });
  const sts = clients.callerSts();
  try {
    const caller = await callerIdentity(sts);
    const limit = pLimit(options.concurrency);
    return await Promise.all(
      publications.map((publication) =>
        limit(async () => {
          const outcome = await publishWithCredentials(
            publication,
            caller,
            options,
            async (credentials) => {
              // Not destroyed per account: destroy() would close the HTTP handler all clients share.
              return publishAccount(securityHubClient(options.aws, handler, credentials ?? options.aws.credentials), publication);
            },
            sts,
          );
          onAccount?.(outcome);
          return outcome;
        }),
      ),
    );
  } finally {
    clients.close();
    handler.destroy();
  }
}

async function publishWithCredentials(
  publication: AccountPublication,
  caller: { accountId: string; partition: string },
  options: PublishOptions,
  publish: (credentials: AwsCredentialIdentity | undefined) => Promise<AccountPublishOutcome>,
  sts: ReturnType<AwsClients['callerSts']>,
): Promise<AccountPublishOutcome> {
  if (publication.accountId === caller.accountId && !options.assumeRoleInCaller) return publish(undefined);
  try {
    const credentials = await assumeAccountRole(sts, caller.partition, publication.accountId, options.role);
    return await publish(credentials);
  } catch (error) {
    const count = publication.batches.reduce((n, b) => n + b.length, 0);
    const reason = error instanceof AccountFailure ? error.message : describeError(error);
    return {
      accountId: publication.accountId,
      imported: 0,
      archived: 0,
      workflowUpdated: 0,
      failed: [],
      error: `${reason} (${count} findings not published)`,
    };
  }
}

function pickDefined(config: PublishAwsConfig) {
  return {
    ...(config.profile ? { profile: config.profile } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    ...(config.maxAttempts !== undefined ? { maxAttempts: config.maxAttempts } : {}),
    ...(config.retryBaseDelayMs !== undefined ? { retryBaseDelayMs: config.retryBaseDelayMs } : {}),
  };
}
