/**
 * Whether an IAM user still uses AWS CodeCommit, from IAM's service last accessed data (access
 * advisor): GenerateServiceLastAccessedDetails starts a report job for the user's ARN, and
 * GetServiceLastAccessedDetails is polled until the job is COMPLETED (or FAILED). IAM lists every
 * service the user's permissions policies allow; for each, the last authenticated attempt within
 * its tracking period (at least the last 400 days; recent activity usually appears within four
 * hours), successful or denied, whatever the credential (console, access key, Git credentials or
 * SSH key). IAM records no last use for an SSH key itself, so this is the documented signal
 * for "the user no longer uses CodeCommit". Both calls are read operations (IAMReadOnlyAccess
 * grants them); the job only computes a report, like GenerateCredentialReport.
 */
import {
  GenerateServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  type IAMClient,
  type ServiceLastAccessed,
} from '@aws-sdk/client-iam';
import { pollDelay, type Clock, type ReportOptions } from './report.js';

/** The service namespace of AWS CodeCommit in IAM (codecommit:GitPull, …). */
export const CODECOMMIT_NAMESPACE = 'codecommit';

/** Facts of one user (facts.codeCommitAccess), as rules read them. */
export interface CodeCommitAccessFact {
  /** The user's permissions policies allow some CodeCommit action (IAM lists the service). */
  permitted: boolean;
  /** The last authenticated attempt to use CodeCommit within the tracking period; null: none. */
  lastAuthenticated: string | null;
  lastAuthenticatedRegion: string | null;
  /** When IAM completed the report the answer comes from. */
  reportCompleted: string | null;
}

/** How to poll a report job: the credential report's backoff and deadline. */
export interface JobPolling extends Pick<ReportOptions, 'pollDelayMs'> {
  clock: Clock;
  /** Deadline of one user's job, from Generate to the last page. */
  timeoutMs: number;
}

/** Services per page: IAM's maximum, so most users' reports are one page. */
const PAGE_SIZE = 1000;

const iso = (date: Date | undefined): string | null => (date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : null);

/** The completed report's services, every page; undefined while the job is IN_PROGRESS. */
async function completedServices(
  iam: IAMClient,
  jobId: string,
): Promise<{ services: ServiceLastAccessed[]; completed: string | null } | undefined> {
  const services: ServiceLastAccessed[] = [];
  let marker: string | undefined;
  let completed: string | null;
  do {
    const page = await iam.send(
      new GetServiceLastAccessedDetailsCommand({ JobId: jobId, MaxItems: PAGE_SIZE, ...(marker ? { Marker: marker } : {}) }),
    );
    if (page.JobStatus === 'FAILED') throw new Error(`the report job failed (${page.Error?.Code ?? 'no code'})`);
    if (page.JobStatus !== 'COMPLETED') return undefined;
    completed = iso(page.JobCompletionDate);
    services.push(...(page.ServicesLastAccessed ?? []));
    marker = page.IsTruncated === true ? page.Marker : undefined;
  } while (marker);
  return { services, completed };
}

/**
 * The CodeCommit entry of the user's service last accessed report.
 * @throws when the job fails, does not complete within `polling.timeoutMs`, or a call fails
 */
export async function codeCommitAccess(iam: IAMClient, userArn: string, polling: JobPolling): Promise<CodeCommitAccessFact> {
  const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: userArn, Granularity: 'SERVICE_LEVEL' }));
  if (!JobId) throw new Error('GenerateServiceLastAccessedDetails answered without a JobId');
  const deadline = polling.clock.now() + polling.timeoutMs;
  for (let poll = 0; ; poll++) {
    const report = await completedServices(iam, JobId);
    if (report) {
      const entry = report.services.find((s) => s.ServiceNamespace === CODECOMMIT_NAMESPACE);
      return {
        permitted: entry !== undefined,
        lastAuthenticated: iso(entry?.LastAuthenticated),
        lastAuthenticatedRegion: entry?.LastAuthenticatedRegion ?? null,
        reportCompleted: report.completed,
      };
    }
    const delay = pollDelay(poll, polling, polling.clock);
    if (polling.clock.now() + delay > deadline)
      throw new Error(`the report job did not complete within ${Math.round(polling.timeoutMs / 1000)} s`);
    await polling.clock.sleep(delay);
  }
}
