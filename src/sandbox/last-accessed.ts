/**
 * IAM's service last accessed data (access advisor) over the Query protocol:
 * GenerateServiceLastAccessedDetails starts a job for a user's ARN and answers its JobId;
 * GetServiceLastAccessedDetails answers IN_PROGRESS on the first poll, then COMPLETED with the
 * fixture's `serviceLastAccessed` entries of that user, paged by MaxItems and Marker, as IAM does.
 * Only users (not groups, roles or policies) and SERVICE_LEVEL granularity are served.
 */
import type { QueryHandler } from './context.js';
import { ServiceError } from './errors.js';
import type { AccountRuntime } from './org.js';
import { accountOf, pageTail, pageWindow } from './iam.js';
import { element, isoSeconds, toXml } from './xml.js';

interface Job {
  userName: string;
  createdAt: number;
  /** Polls answered IN_PROGRESS before the job completes. */
  pollsLeft: number;
  completedAt?: number;
}

/** Jobs by account, then by JobId; kept as long as the account's runtime. */
const JOBS = new WeakMap<AccountRuntime, Map<string, Job>>();

function jobsOf(account: AccountRuntime): Map<string, Job> {
  let jobs = JOBS.get(account);
  if (!jobs) JOBS.set(account, (jobs = new Map()));
  return jobs;
}

/** The user name of a user ARN of this account, or an error as IAM answers. */
function userOf(account: AccountRuntime, arn: string | null): string {
  if (arn === null)
    throw new ServiceError(
      'ValidationError',
      400,
      "1 validation error detected: Value null at 'arn' failed to satisfy constraint: Member must not be null",
    );
  const match = /^arn:aws[\w-]*:iam::(\d{12}):user\/(?:[^/]*\/)*([^/]+)$/.exec(arn);
  if (!match) throw new ServiceError('InvalidInput', 400, `ARN ${arn} is not valid for this operation (the sandbox serves users only).`);
  if (match[1] !== account.id) throw new ServiceError('NoSuchEntity', 404, `The user with ARN ${arn} cannot be found.`);
  return match[2]!;
}

const generateServiceLastAccessedDetails: QueryHandler = (ctx, params) => {
  const account = accountOf(ctx);
  const userName = userOf(account, params.get('Arn'));
  const granularity = params.get('Granularity');
  if (granularity !== null && granularity !== 'SERVICE_LEVEL' && granularity !== 'ACTION_LEVEL')
    throw new ServiceError('ValidationError', 400, `Value '${granularity}' at 'granularity' failed to satisfy constraint`);
  const jobs = jobsOf(account);
  const jobId = `sandbox-${account.id}-${jobs.size + 1}`;
  jobs.set(jobId, { userName, createdAt: ctx.now, pollsLeft: 1 });
  return element('JobId', jobId);
};

const getServiceLastAccessedDetails: QueryHandler = (ctx, params) => {
  const account = accountOf(ctx);
  const jobId = params.get('JobId');
  const job = jobId === null ? undefined : jobsOf(account).get(jobId);
  if (!job) throw new ServiceError('NoSuchEntity', 404, `No report job with id ${jobId ?? '(none)'} exists.`);
  const head = element('JobType', 'SERVICE_LEVEL') + element('JobCreationDate', isoSeconds(job.createdAt));
  if (job.pollsLeft > 0) {
    job.pollsLeft -= 1;
    return element('JobStatus', 'IN_PROGRESS') + head + toXml('ServicesLastAccessed', []);
  }
  job.completedAt ??= ctx.now;
  const services = account.fixture.context?.serviceLastAccessed?.[job.userName] ?? [];
  const { start, end } = pageWindow(params, services.length);
  return (
    element('JobStatus', 'COMPLETED') +
    head +
    element('JobCompletionDate', isoSeconds(job.completedAt)) +
    toXml('ServicesLastAccessed', services.slice(start, end)) +
    pageTail(end, services.length)
  );
};

/** The operations of this file, by Action name (merged into IAM_HANDLERS). */
export const LAST_ACCESSED_HANDLERS: Record<string, QueryHandler> = {
  GenerateServiceLastAccessedDetails: generateServiceLastAccessedDetails,
  GetServiceLastAccessedDetails: getServiceLastAccessedDetails,
};
