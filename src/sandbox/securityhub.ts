/**
 * AWS Security Hub over its real REST-JSON protocol: BatchImportFindings
 * (`POST /findings/import`) and BatchUpdateFindings (`PATCH /findings/batchupdate`), with the
 * behaviour finding providers depend on:
 * - the default product ARN `arn:P:securityhub:R:A:product/A/default` is only usable by account A
 *   (another account's product ARN: AccessDeniedException 403), and a finding's AwsAccountId
 *   must be the caller's;
 * - at most 100 findings per request (InvalidInputException 400), 240 KB per finding, 6 MB per
 *   request; a finding that breaks the format is answered in FailedFindings (InvalidInput) and
 *   the rest are imported;
 * - an account without Security Hub enabled gets every finding back as InvalidAccess;
 * - an update whose UpdatedAt is not later than the stored one is ignored; after creation
 *   BatchImportFindings cannot change Note, UserDefinedFields, VerificationState or Workflow;
 *   ARCHIVED → ACTIVE, or Compliance PASSED → another status, resets a NOTIFIED/RESOLVED
 *   workflow to NEW;
 * - 10 requests per second per account and Region, burst 30: TooManyRequestsException 429.
 * Findings are stored per account and Region (the signing scope's Region).
 */
import type { CallContext } from './context.js';
import { ServiceError } from './errors.js';
import { validateFinding } from './asff-validation.js';

/** Requests per second per account and Region, and burst, of the finding APIs. */
const RATE_PER_SECOND = 10;
const BURST = 30;
const MAX_BATCH = 100;
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;
const PRODUCT_ARN = /^arn:([\w-]+):securityhub:([\w-]+):(\d{12}):product\/(\d{12})\/default$/;

type Json = Record<string, unknown>;

/** A stored finding. */
export interface StoredFinding {
  finding: Json;
  /** Region whose Security Hub holds it. */
  region: string;
}

/** Security Hub REST-JSON errors, with AWS's codes and statuses. */
export const securityHubErrors = {
  invalidInput: (message: string) => new ServiceError('InvalidInputException', 400, message),
  accessDenied: (message: string) => new ServiceError('AccessDeniedException', 403, message),
  throttled: () => new ServiceError('TooManyRequestsException', 429, 'Rate exceeded'),
  notFound: () => new ServiceError('ResourceNotFoundException', 404, 'The requested resource was not found'),
};

/** The request of one REST-JSON call, as the server parsed it. */
export interface RestCall {
  method: string;
  path: string;
  /** Region of the SigV4 signing scope. */
  region: string;
  body: unknown;
  bodyBytes: number;
}

/** Operation names by HTTP method and path. */
export function securityHubOperation(method: string, path: string): string | undefined {
  if (method === 'POST' && path === '/findings/import') return 'BatchImportFindings';
  if (method === 'PATCH' && path === '/findings/batchupdate') return 'BatchUpdateFindings';
  return undefined;
}

class Bucket {
  private tokens = BURST;
  constructor(private updatedAt: number) {}
  take(now: number): boolean {
    this.tokens = Math.min(BURST, this.tokens + ((now - this.updatedAt) / 1000) * RATE_PER_SECOND);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function workflowStatus(finding: Json): string | undefined {
  return isObject(finding.Workflow) && typeof finding.Workflow.Status === 'string' ? finding.Workflow.Status : undefined;
}

function complianceStatus(finding: Json): string | undefined {
  return isObject(finding.Compliance) && typeof finding.Compliance.Status === 'string' ? finding.Compliance.Status : undefined;
}

/** Fields that only BatchUpdateFindings may change once a finding exists. */
const CUSTOMER_FIELDS = ['Note', 'UserDefinedFields', 'VerificationState', 'Workflow'] as const;

/** Every account's Security Hub. */
export class SecurityHubService {
  /** Findings by `account|region|productArn|id`. */
  private readonly findings = new Map<string, StoredFinding>();
  private readonly buckets = new Map<string, Bucket>();

  /** The findings stored for an account (every Region unless given), for tests and the demo. */
  findingsOf(accountId: string, region?: string): Json[] {
    const out: Json[] = [];
    for (const [key, stored] of this.findings)
      if (key.startsWith(`${accountId}|`) && (region === undefined || stored.region === region)) out.push(stored.finding);
    return out;
  }

  /** Runs one call; the result is the response body. @throws ServiceError */
  handle(ctx: CallContext, operation: string, call: RestCall): unknown {
    const bucketKey = `${ctx.principal.accountId}|${call.region}`;
    let bucket = this.buckets.get(bucketKey);
    if (bucket === undefined) this.buckets.set(bucketKey, (bucket = new Bucket(ctx.now)));
    if (!bucket.take(ctx.now)) throw securityHubErrors.throttled();
    if (!isObject(call.body)) throw securityHubErrors.invalidInput('The request body is not a JSON object.');
    return operation === 'BatchImportFindings' ? this.importFindings(ctx, call) : this.updateFindings(ctx, call);
  }

  private enabled(ctx: CallContext): boolean {
    return ctx.account?.fixture.securityHub?.enabled !== false;
  }

  private importFindings(ctx: CallContext, call: RestCall): unknown {
    const list = batch((call.body as Json).Findings, 'findings');
    if (call.bodyBytes > MAX_REQUEST_BYTES) throw securityHubErrors.invalidInput(`The request is larger than ${MAX_REQUEST_BYTES} bytes.`);
    this.authorizeProducts(ctx, list, call.region);
    const failed: Json[] = [];
    for (const item of list) {
      const id = isObject(item) && typeof item.Id === 'string' ? item.Id : '';
      const problem = this.importProblem(ctx, item, call.region);
      if (problem) failed.push({ Id: id, ErrorCode: problem.code, ErrorMessage: problem.message });
      else this.store(ctx.principal.accountId, call.region, item as Json, ctx.now);
    }
    return { FailedCount: failed.length, SuccessCount: list.length - failed.length, FailedFindings: failed };
  }

  /** IAM authorises BatchImportFindings on each finding's ProductArn: another account's default product is denied. */
  private authorizeProducts(ctx: CallContext, list: unknown[], region: string): void {
    for (const item of list) {
      const arn = isObject(item) && typeof item.ProductArn === 'string' ? item.ProductArn : '';
      const match = PRODUCT_ARN.exec(arn);
      if (match === null) continue; // answered per finding
      const [, , , owner = '', product = ''] = match;
      if (owner !== ctx.principal.accountId || product !== ctx.principal.accountId) {
        throw securityHubErrors.accessDenied(
          `User: ${ctx.principal.arn} is not authorized to perform: securityhub:BatchImportFindings on resource: ${arn.replace(/:securityhub:[\w-]+:/, `:securityhub:${region}:`)}`,
        );
      }
    }
  }

  private importProblem(ctx: CallContext, item: unknown, region: string): { code: string; message: string } | undefined {
    if (!this.enabled(ctx))
      return { code: 'InvalidAccess', message: `Account ${ctx.principal.accountId} is not subscribed to AWS Security Hub` };
    const problems = validateFinding(item);
    if (problems.length > 0) {
      const tooLarge = problems.some((p) => p.startsWith('Finding size exceeds'));
      return {
        code: tooLarge ? 'FindingSizeExceeded' : 'InvalidInput',
        message: `Finding does not adhere to Amazon Finding Format. ${problems.join('; ')}`,
      };
    }
    const finding = item as Json;
    const match = PRODUCT_ARN.exec(String(finding.ProductArn));
    if (match === null) return { code: 'InvalidInput', message: `Invalid ProductArn ${String(finding.ProductArn)}` };
    if (match[1] !== ctx.org.partition || match[2] !== region)
      return { code: 'InvalidInput', message: `The ProductArn ${String(finding.ProductArn)} is not in Region ${region}` };
    if (finding.AwsAccountId !== ctx.principal.accountId) {
      return {
        code: 'InvalidAccess',
        message: `The AwsAccountId ${String(finding.AwsAccountId)} does not match the calling account ${ctx.principal.accountId}`,
      };
    }
    return undefined;
  }

  private store(accountId: string, region: string, finding: Json, now: number): void {
    const key = `${accountId}|${region}|${String(finding.ProductArn)}|${String(finding.Id)}`;
    const existing = this.findings.get(key);
    const processedAt = new Date(now).toISOString();
    if (existing === undefined) {
      this.findings.set(key, {
        region,
        finding: { Workflow: { Status: 'NEW' }, RecordState: 'ACTIVE', ...finding, Region: region, ProcessedAt: processedAt },
      });
      return;
    }
    const old = existing.finding;
    // AWS ignores an update that is not newer than what it has.
    if (Date.parse(String(finding.UpdatedAt)) <= Date.parse(String(old.UpdatedAt))) return;
    const updated: Json = { ...finding, Region: region, ProcessedAt: processedAt, RecordState: finding.RecordState ?? old.RecordState };
    for (const field of CUSTOMER_FIELDS) {
      if (old[field] === undefined) delete updated[field];
      else updated[field] = old[field];
    }
    const reopened =
      (old.RecordState === 'ARCHIVED' && updated.RecordState === 'ACTIVE') ||
      (complianceStatus(old) === 'PASSED' && complianceStatus(updated) !== undefined && complianceStatus(updated) !== 'PASSED');
    if (reopened && ['NOTIFIED', 'RESOLVED'].includes(workflowStatus(updated) ?? '')) updated.Workflow = { Status: 'NEW' };
    existing.finding = updated;
  }

  private updateFindings(ctx: CallContext, call: RestCall): unknown {
    const body = call.body as Json;
    const identifiers = batch(body.FindingIdentifiers, 'findingIdentifiers');
    const workflow = isObject(body.Workflow) ? body.Workflow.Status : undefined;
    if (workflow !== undefined && !['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'].includes(String(workflow)))
      throw securityHubErrors.invalidInput(`Invalid Workflow.Status ${String(workflow)}`);
    const note = body.Note;
    if (
      note !== undefined &&
      (!isObject(note) ||
        typeof note.Text !== 'string' ||
        note.Text.length < 1 ||
        note.Text.length > 512 ||
        typeof note.UpdatedBy !== 'string' ||
        note.UpdatedBy === '')
    ) {
      throw securityHubErrors.invalidInput('Note must have a Text of 1 to 512 characters and an UpdatedBy');
    }
    const processed: Json[] = [];
    const unprocessed: Json[] = [];
    for (const identifier of identifiers) {
      const id = isObject(identifier) ? identifier : {};
      const stored = this.findings.get(`${ctx.principal.accountId}|${call.region}|${String(id.ProductArn)}|${String(id.Id)}`);
      if (stored === undefined) {
        unprocessed.push({
          FindingIdentifier: { Id: id.Id, ProductArn: id.ProductArn },
          ErrorCode: 'FindingNotFound',
          ErrorMessage: 'Finding Not Found',
        });
        continue;
      }
      if (workflow !== undefined) stored.finding.Workflow = { Status: workflow };
      if (isObject(note)) stored.finding.Note = { Text: note.Text, UpdatedBy: note.UpdatedBy, UpdatedAt: new Date(ctx.now).toISOString() };
      processed.push({ Id: id.Id, ProductArn: id.ProductArn });
    }
    return { ProcessedFindings: processed, UnprocessedFindings: unprocessed };
  }
}

/** A request's list member, refused as Security Hub refuses it when empty or over {@link MAX_BATCH}. */
function batch(value: unknown, member: string): unknown[] {
  const bound = (constraint: string) =>
    securityHubErrors.invalidInput(
      `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have ${constraint}`,
    );
  if (!Array.isArray(value) || value.length === 0) throw bound('length greater than or equal to 1');
  if (value.length > MAX_BATCH) throw bound(`length less than or equal to ${MAX_BATCH}`);
  return value;
}
