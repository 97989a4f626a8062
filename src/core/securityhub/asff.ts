/**
 * credwarden findings in the AWS Security Finding Format (ASFF), ready for Security Hub's
 * BatchImportFindings. Pure: the time of each record comes from the result's as-of, never the
 * clock. The shapes are the SDK's own (`@aws-sdk/client-securityhub`), imported as types only.
 */
import type { AwsSecurityFinding, Partition, Resource, SeverityLabel } from '@aws-sdk/client-securityhub';
import type { AccountResult, Finding, Plan, RuleSummary, ScanResult, Severity } from '../../model/index.js';
import { ASFF_LIMITS, ASFF_SCHEMA_VERSION, clip, clipId } from './limits.js';
import { formatTimestamp } from '../util/time.js';
import { visibleControls } from '../util/escape.js';

/** Security Hub's label for each credwarden severity. */
const SEVERITY_LABELS: Record<Severity, SeverityLabel> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFORMATIONAL',
};

/** How the CIS framework keys of a finding are named in Compliance.RelatedRequirements. */
const CIS_REQUIREMENT_PREFIX: Readonly<Record<string, string>> = {
  'cis-aws-3.0': 'CIS AWS Foundations Benchmark v3.0.0',
  'cis-aws-5.0': 'CIS AWS Foundations Benchmark v5.0.0',
};

const BEST_PRACTICES_TYPE = 'Software and Configuration Checks/AWS Security Best Practices';
const CIS_TYPE = 'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark';

/** What the mapping reads of a rule. */
type AsffRule = Pick<RuleSummary, 'description' | 'docs'>;

/** Everything the mapping needs besides the finding. */
export interface AsffContext {
  /** Region of the Security Hub the findings go to (part of the ProductArn). */
  region: string;
  toolVersion: string;
  /** The rules of the result, by id (for the description and the remediation URL). */
  rules: ReadonlyMap<string, AsffRule>;
  /** When each account was observed (its as-of), by account id; `fallbackTime` otherwise. */
  observedAt: ReadonlyMap<string, string>;
  fallbackTime: string;
  /** The result's plans by id (a finding names its principal's plan in remediation.planId). */
  plans: ReadonlyMap<string, Plan>;
}

/** What a record says about its finding. */
export type AsffRecordState = 'ACTIVE' | 'ARCHIVED';

/** The partition of an ARN (`arn:PARTITION:…`); `aws` when it cannot be read. */
export function partitionOfArn(arn: string): Partition {
  const partition = arn.split(':')[1];
  return partition === 'aws-cn' || partition === 'aws-us-gov' ? partition : 'aws';
}

/**
 * The default product ARN of an account: Security Hub accepts findings under it only from
 * that account itself (BatchImportFindings called with the account's own credentials).
 */
export function defaultProductArn(partition: string, region: string, accountId: string): string {
  return `arn:${partition}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

/** The stable ASFF Id of a finding: the same finding gets the same Id in every scan. */
export function asffId(finding: Pick<Finding, 'fingerprint'>): string {
  return `credwarden/${finding.fingerprint}`;
}

/** Builds the context of a result: rules, per-account as-of times. */
export function asffContext(result: ScanResult, region: string, toolVersion: string): AsffContext {
  const observedAt = new Map<string, string>();
  for (const account of result.accounts) {
    const time = observedTime(account, result.asOf);
    if (time) observedAt.set(account.id, time);
  }
  const times = [...observedAt.values()].sort();
  const fallbackTime = fallbackObservedTime(result.asOf, times[times.length - 1]);
  return {
    region,
    toolVersion,
    rules: new Map((result.rules ?? []).map((rule) => [rule.id, rule])),
    observedAt,
    fallbackTime,
    plans: new Map(result.plans.map((plan) => [plan.id, plan])),
  };
}

/** When an account was observed (RFC 3339): its as-of, else its report's time, else the run's --as-of. */
export function observedTime(
  account: Pick<AccountResult, 'asOf' | 'reportGeneratedTime'> | undefined,
  asOf: string | null,
): string | undefined {
  const time = account?.asOf ?? account?.reportGeneratedTime ?? asOf;
  return time ? rfc3339(time) : undefined;
}

/** The time of a record whose account has none: the run's --as-of, else the latest account's, else the epoch. */
export function fallbackObservedTime(asOf: string | null, latest: string | undefined): string {
  return asOf ? rfc3339(asOf) : (latest ?? '1970-01-01T00:00:00Z');
}

/**
 * ASFF defines CreatedAt as when the issue was first seen: a finding the baseline already had
 * keeps its first-seen time (`finding.firstSeen`); otherwise it is first seen now. Never later
 * than the record's own time (a baseline newer than the scan), which would be an update from the past.
 */
function firstSeenTime(finding: Finding, time: string): string {
  if (!finding.firstSeen) return time;
  const first = rfc3339(finding.firstSeen);
  return Date.parse(first) < Date.parse(time) ? first : time;
}

/** A timestamp as Security Hub wants it (RFC 3339, UTC) in credwarden's one style. Unparseable input is kept as is for AWS to reject. */
function rfc3339(time: string): string {
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? time : formatTimestamp(ms);
}

/**
 * One finding in ASFF. `ARCHIVED` records a finding that is gone (resolved since the baseline):
 * Security Hub keeps it for history but stops showing it as active.
 */
export function toAsff(finding: Finding, context: AsffContext, recordState: AsffRecordState = 'ACTIVE'): AwsSecurityFinding {
  const partition = partitionOfArn(finding.principal.arn);
  const time = context.observedAt.get(finding.accountId) ?? context.fallbackTime;
  const firstSeen = firstSeenTime(finding, time);
  const rule = context.rules.get(finding.ruleId);
  const label = SEVERITY_LABELS[finding.severity];
  const types = findingTypes(finding);
  const asff: AwsSecurityFinding = {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: clip(asffId(finding), ASFF_LIMITS.id),
    ProductArn: defaultProductArn(partition, context.region, finding.accountId),
    ProductName: 'credwarden',
    CompanyName: 'credwarden',
    GeneratorId: clip(finding.ruleId, ASFF_LIMITS.generatorId),
    AwsAccountId: finding.accountId,
    Types: types,
    FirstObservedAt: firstSeen,
    CreatedAt: firstSeen,
    UpdatedAt: time,
    LastObservedAt: time,
    Severity: { Label: label, Original: finding.severity },
    FindingProviderFields: { Severity: { Label: label, Original: finding.severity }, Types: types },
    Title: clip(shown(`${finding.title}: ${finding.principal.type === 'root' ? 'root user' : finding.principal.name}`), ASFF_LIMITS.title),
    Description: clip(shown(description(finding, rule)), ASFF_LIMITS.description),
    Remediation: { Recommendation: recommendation(finding, rule, context) },
    ProductFields: productFields(finding, context),
    Resources: [resource(finding, partition, context.region)],
    Compliance: {
      Status: recordState === 'ARCHIVED' ? 'PASSED' : 'FAILED',
      RelatedRequirements: relatedRequirements(finding),
    },
    RecordState: recordState,
  };
  if (finding.accountName) asff.AwsAccountName = clip(shown(finding.accountName), ASFF_LIMITS.awsAccountName);
  if (finding.status === 'waived' && finding.waiver) {
    // Honoured when the finding is created; an existing finding is suppressed by BatchUpdateFindings (publish).
    asff.Workflow = { Status: 'SUPPRESSED' };
    asff.Note = { Text: waiverNote(finding), UpdatedBy: 'credwarden', UpdatedAt: time };
  }
  return asff;
}

/** The text of the Note that records a finding's waiver. */
export function waiverNote(finding: Finding): string {
  const w = finding.waiver;
  if (!w) return 'Waived';
  const approved = w.approvedBy ? `, approved by ${w.approvedBy}` : '';
  return clip(`Waived by credwarden waiver ${w.id} until ${w.expires}${approved}: ${w.reason}`, ASFF_LIMITS.noteText);
}

function findingTypes(finding: Finding): string[] {
  const cis = Object.keys(CIS_REQUIREMENT_PREFIX).some((key) => (finding.frameworks[key as keyof Finding['frameworks']] ?? []).length > 0);
  return cis ? [BEST_PRACTICES_TYPE, CIS_TYPE] : [BEST_PRACTICES_TYPE];
}

function relatedRequirements(finding: Finding): string[] {
  const requirements: string[] = [];
  for (const [key, prefix] of Object.entries(CIS_REQUIREMENT_PREFIX)) {
    for (const id of finding.frameworks[key as keyof Finding['frameworks']] ?? []) requirements.push(`${prefix}/${id}`);
  }
  return requirements.slice(0, ASFF_LIMITS.relatedRequirements);
}

function description(finding: Finding, rule: AsffRule | undefined): string {
  const account = finding.accountName ? `${finding.accountName} (${finding.accountId})` : finding.accountId;
  const why = rule?.description ? ` ${rule.description}` : '';
  return `${finding.message} [account ${account}]${why}`;
}

function recommendation(finding: Finding, rule: AsffRule | undefined, context: AsffContext): { Text: string; Url?: string } {
  const plan = finding.remediation.planId === undefined ? undefined : context.plans.get(finding.remediation.planId);
  const resolution = plan?.findings.find((f) => f.fingerprint === finding.fingerprint)?.resolution;
  const text = plan
    ? `${resolution ?? ''} ${plan.steps.map((s) => `${s.n}. ${s.text}`).join(' ')}`.trim()
    : `Follow remediation procedure '${finding.remediation.procedure}' (credwarden plan RESULT.json prints the step-by-step plan).`;
  const url = rule?.docs && /^https:\/\//.test(rule.docs) ? rule.docs : undefined;
  return { Text: clip(text, ASFF_LIMITS.recommendationText), ...(url ? { Url: url } : {}) };
}

function productFields(finding: Finding, context: AsffContext): Record<string, string> {
  const fields: Record<string, string> = {
    'credwarden/RuleId': finding.ruleId,
    'credwarden/Fingerprint': finding.fingerprint,
    'credwarden/Principal': finding.principal.arn,
    'credwarden/Credential': finding.credential ?? 'none',
    'credwarden/Procedure': finding.remediation.procedure,
    'credwarden/Status': finding.status,
    'credwarden/ToolVersion': context.toolVersion,
  };
  const controls = finding.frameworks['aws-security-hub'];
  if (controls.length > 0) fields['credwarden/SecurityHubControls'] = controls.join(' ');
  const config = finding.frameworks['aws-config'];
  if (config.length > 0) fields['credwarden/AwsConfigRules'] = config.join(' ');
  if (finding.baseline) fields['credwarden/Baseline'] = finding.baseline;
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, clip(value, ASFF_LIMITS.productFieldValue)]));
}

/**
 * The resource a finding is about, identified by its ARN: the access key (by its owner's ARN and
 * slot, since a credential report names keys by slot, not by id), the IAM user, or the account
 * for the root user's own credentials.
 */
function resource(finding: Finding, partition: Partition, region: string): Resource {
  const arn = finding.principal.arn;
  const base = { Id: clipId(arn, ASFF_LIMITS.resourceId), Partition: partition, Region: region };
  const name = clip(shown(finding.principal.name), ASFF_LIMITS.resourceName);
  if (finding.credential === 'access_key_1' || finding.credential === 'access_key_2') {
    return {
      ...base,
      Type: 'AwsIamAccessKey',
      Details: {
        AwsIamAccessKey: {
          PrincipalName: name,
          PrincipalType: finding.principal.type === 'root' ? 'Root' : 'IAMUser',
          AccountId: finding.accountId,
        },
        Other: { credential: finding.credential },
      },
    };
  }
  if (finding.principal.type === 'root')
    return { ...base, Type: 'AwsAccount', Details: { Other: { principal: 'root', credential: finding.credential ?? 'none' } } };
  return { ...base, Type: 'AwsIamUser', Details: { AwsIamUser: { UserName: name, ...userPath(arn) } } };
}

/** The path of an IAM user ARN (`arn:aws:iam::1:user/PATH/name`), e.g. `/automation/`. */
function userPath(arn: string): { Path?: string } {
  const resourcePart = arn.split(':').slice(5).join(':');
  const segments = resourcePart.split('/');
  if (segments[0] !== 'user' || segments.length < 2) return {};
  const path = `/${segments
    .slice(1, -1)
    .map((s) => `${s}/`)
    .join('')}`;
  return { Path: clip(shown(path), ASFF_LIMITS.resourceName) };
}

/** Text Security Hub shows to people: control and invisible characters as visible escapes. */
function shown(text: string): string {
  return visibleControls(text, true);
}

/**
 * Every finding of a result in ASFF: the current findings (ACTIVE) and, with a baseline, the
 * findings resolved since (ARCHIVED, Compliance PASSED, at the new scan's as-of time, so
 * Security Hub takes the update: it ignores one whose UpdatedAt is not later than the stored one).
 */
export function resultToAsff(result: ScanResult, region: string, toolVersion: string): AwsSecurityFinding[] {
  return Array.from(asffRecords(result, region, toolVersion));
}

/** The same records as {@link resultToAsff}, one at a time. */
export function* asffRecords(result: ScanResult, region: string, toolVersion: string): Generator<AwsSecurityFinding> {
  const context = asffContext(result, region, toolVersion);
  for (const f of result.findings) yield toAsff(f, context);
  for (const f of result.resolved ?? []) yield toAsff(f, context, 'ARCHIVED');
}
