/**
 * credwarden's findings and controls as OCSF 1.5 events, one record at a time (pure: every time
 * comes from the result's as-of, never the clock).
 *
 * - Detection Finding (class 2004): one per finding, with the `cloud`, `resources` and
 *   `remediation` objects and the normalised severity and status ids. OCSF 1.5 gives this class
 *   no `compliance` attribute, so the framework controls a finding breaks travel in
 *   `unmapped.compliance` (the same shape as the Compliance object), where consumers such as
 *   Security Lake keep them.
 * - Compliance Finding (class 2003): one per rule and scanned account, whose `compliance` object
 *   carries the rule's status in that account (pass, fail, or warning when it was not decided
 *   there) and the framework controls it maps to.
 */
import type { AccountResult, Finding, Frameworks, Plan, RuleSummary, Severity } from '../../model/index.js';
import { FRAMEWORKS } from '../../model/index.js';
import { partitionOfArn } from '../securityhub/asff.js';

/** The OCSF schema version the events follow. */
export const OCSF_VERSION = '1.5.0';

const DETECTION_FINDING = 2004;
const COMPLIANCE_FINDING = 2003;
const FINDINGS_CATEGORY = 2;

/** OCSF severity_id and its caption, by credwarden severity. */
const SEVERITY: Record<Severity, { id: number; caption: string }> = {
  critical: { id: 5, caption: 'Critical' },
  high: { id: 4, caption: 'High' },
  medium: { id: 3, caption: 'Medium' },
  low: { id: 2, caption: 'Low' },
  info: { id: 1, caption: 'Informational' },
};

/** How each framework key is named in `compliance.standards` and its requirements. */
const STANDARD_NAMES: Record<(typeof FRAMEWORKS)[number], string> = {
  'cis-aws-3.0': 'CIS AWS Foundations Benchmark v3.0.0',
  'cis-aws-5.0': 'CIS AWS Foundations Benchmark v5.0.0',
  'aws-security-hub': 'AWS Security Hub controls',
  'aws-config': 'AWS Config managed rules',
};

/** A finding's lifecycle: open (new), waived (suppressed) or gone since the baseline (resolved). */
type Lifecycle = 'open' | 'waived' | 'resolved';

const LIFECYCLE: Record<Lifecycle, { statusId: number; status: string; activityId: number; activity: string }> = {
  open: { statusId: 1, status: 'New', activityId: 1, activity: 'Create' },
  waived: { statusId: 3, status: 'Suppressed', activityId: 1, activity: 'Create' },
  resolved: { statusId: 4, status: 'Resolved', activityId: 3, activity: 'Close' },
};

/** A rule's verdict in one account, as OCSF's compliance status_id (1 Pass, 2 Warning, 3 Fail, 99 Other). */
const COMPLIANCE_STATUS = {
  pass: { id: 1, caption: 'Pass' },
  warning: { id: 2, caption: 'Warning' },
  fail: { id: 3, caption: 'Fail' },
  waived: { id: 99, caption: 'Waived' },
} as const;

/** An OCSF event as plain JSON. */
export type OcsfEvent = Record<string, unknown>;

/** Everything the mapping needs besides the record: small (rules, and one account's plans). */
export interface OcsfContext {
  toolVersion: string;
  /** Region the findings are reported for (IAM is global); omitted when not given. */
  region?: string;
  rules: ReadonlyMap<string, Pick<RuleSummary, 'description' | 'docs'>>;
  accounts: ReadonlyMap<string, Pick<AccountResult, 'name' | 'ouPath'>>;
  plans: ReadonlyMap<string, Plan>;
  /** Epoch milliseconds of each account's as-of, by account id; `fallbackTime` otherwise. */
  times: ReadonlyMap<string, number>;
  fallbackTime: number;
}

/** When an account's events happened (epoch ms): the run's --as-of, else the account's as-of or report time; undefined when none is known. */
export function accountTime(
  account: Pick<AccountResult, 'asOf' | 'reportGeneratedTime'> | undefined,
  asOf: string | null,
): number | undefined {
  const ms = Date.parse(asOf ?? account?.asOf ?? account?.reportGeneratedTime ?? '');
  return Number.isNaN(ms) ? undefined : ms;
}

/** The time of an account that states none: the run's --as-of, else the latest account's, else the epoch. */
export function fallbackTime(asOf: string | null, latest: number | undefined): number {
  const ms = asOf ? Date.parse(asOf) : Number.NaN;
  return Number.isNaN(ms) ? Math.max(0, latest ?? 0) : ms;
}

function timeOf(accountId: string, context: OcsfContext): { time: number; time_dt: string } {
  const time = context.times.get(accountId) ?? context.fallbackTime;
  return { time, time_dt: new Date(time).toISOString() };
}

function metadata(context: OcsfContext, eventUid: string, eventCode: string): OcsfEvent {
  return {
    version: OCSF_VERSION,
    uid: eventUid,
    event_code: eventCode,
    profiles: ['cloud'],
    product: {
      name: 'credwarden',
      vendor_name: 'credwarden',
      version: context.toolVersion,
    },
  };
}

/** The `cloud` object of an account: provider, account (id, name), organisation unit path, region. */
export function cloudObject(
  accountId: string,
  accountName: string | null | undefined,
  ouPath: string | null | undefined,
  context: OcsfContext,
): OcsfEvent {
  return {
    provider: 'AWS',
    account: { uid: accountId, name: accountName || accountId, type_id: 10, type: 'AWS Account' },
    ...(ouPath ? { org: { ou_name: ouPath } } : {}),
    ...(context.region ? { region: context.region } : {}),
  };
}

/** The framework controls a rule maps to, as the Compliance object's standards and requirements. */
export function complianceObject(frameworks: Frameworks, control: string): OcsfEvent {
  const standards: string[] = [];
  const requirements: string[] = [];
  for (const key of FRAMEWORKS) {
    const ids = frameworks[key] ?? [];
    if (ids.length === 0) continue;
    standards.push(STANDARD_NAMES[key]);
    for (const id of ids) requirements.push(`${STANDARD_NAMES[key]}/${id}`);
  }
  return { control, standards, requirements };
}

/** The owner of a credential: the IAM user, or the account's root user. */
function owner(finding: Finding, cloud: OcsfEvent): OcsfEvent {
  const root = finding.principal.type === 'root';
  return {
    uid: finding.principal.arn,
    name: root ? 'root' : finding.principal.name,
    type_id: root ? 2 : 1,
    type: root ? 'Admin' : 'User',
    account: cloud.account,
  };
}

/**
 * The resource a finding is about, named as Security Hub names it: the access key (its owner's
 * ARN and slot: a credential report names keys by slot, not by id), the IAM user, or the
 * account for the root user's own credentials.
 */
function resource(finding: Finding, cloud: OcsfEvent, context: OcsfContext): OcsfEvent {
  const arn = finding.principal.arn;
  const key = finding.credential === 'access_key_1' || finding.credential === 'access_key_2';
  const type = key ? 'AwsIamAccessKey' : finding.principal.type === 'root' ? 'AwsAccount' : 'AwsIamUser';
  return {
    uid: key ? `${arn}#${finding.credential}` : arn,
    name: finding.principal.type === 'root' ? 'root' : finding.principal.name,
    type,
    cloud_partition: partitionOfArn(arn),
    ...(context.region ? { region: context.region } : {}),
    owner: owner(finding, cloud),
    data: { arn, principal_type: finding.principal.type, credential: finding.credential ?? 'none' },
  };
}

function httpsLinks(urls: readonly (string | undefined)[]): string[] {
  return [...new Set(urls.filter((u): u is string => typeof u === 'string' && /^https:\/\/\S+$/.test(u)))];
}

/** The remediation object: the principal's plan (resolution and numbered steps), or the procedure to follow. */
export function remediationObject(finding: Finding, context: OcsfContext): OcsfEvent {
  const rule = context.rules.get(finding.ruleId);
  const plan = finding.remediation.planId === undefined ? undefined : context.plans.get(finding.remediation.planId);
  const resolution = plan?.findings.find((f) => f.fingerprint === finding.fingerprint)?.resolution;
  const desc = plan
    ? `${resolution ?? ''} ${plan.steps.map((s) => `${s.n}. ${s.text}`).join(' ')}`.trim()
    : `Follow remediation procedure '${finding.remediation.procedure}' (credwarden plan RESULT.json prints the step-by-step plan).`;
  const references = httpsLinks([rule?.docs, ...(plan?.links ?? []).map((l) => l.url)]);
  return { desc, ...(references.length > 0 ? { references } : {}) };
}

/** One finding as an OCSF Detection Finding (class 2004). */
export function detectionFinding(finding: Finding, context: OcsfContext, lifecycle: Lifecycle = finding.status): OcsfEvent {
  const rule = context.rules.get(finding.ruleId);
  const account = context.accounts.get(finding.accountId);
  const cloud = cloudObject(finding.accountId, finding.accountName ?? account?.name, finding.ouPath ?? account?.ouPath, context);
  const state = LIFECYCLE[lifecycle];
  const severity = SEVERITY[finding.severity] ?? { id: 99, caption: String(finding.severity) };
  const { time, time_dt } = timeOf(finding.accountId, context);
  const uid = `credwarden/${finding.fingerprint}`;
  const who = finding.principal.type === 'root' ? 'root user' : finding.principal.name;
  const docs = httpsLinks([rule?.docs])[0];
  return {
    class_uid: DETECTION_FINDING,
    class_name: 'Detection Finding',
    category_uid: FINDINGS_CATEGORY,
    category_name: 'Findings',
    activity_id: state.activityId,
    activity_name: state.activity,
    type_uid: DETECTION_FINDING * 100 + state.activityId,
    type_name: `Detection Finding: ${state.activity}`,
    severity_id: severity.id,
    severity: severity.caption,
    status_id: state.statusId,
    status: state.status,
    ...(lifecycle === 'waived' && finding.waiver ? { status_detail: waiverText(finding) } : {}),
    time,
    time_dt,
    message: finding.message,
    metadata: metadata(context, `${uid}/${lifecycle}`, finding.ruleId),
    finding_info: {
      uid,
      title: `${finding.title}: ${who}`,
      desc: rule?.description ? `${finding.message} ${rule.description}` : finding.message,
      types: ['Software and Configuration Checks/AWS Security Best Practices'],
      created_time: time,
      last_seen_time: time,
      analytic: { uid: finding.ruleId, name: finding.title, type_id: 1, type: 'Rule' },
      ...(docs ? { src_url: docs } : {}),
    },
    cloud,
    resources: [resource(finding, cloud, context)],
    remediation: remediationObject(finding, context),
    unmapped: {
      compliance: complianceObject(finding.frameworks, finding.ruleId),
      credwarden: {
        rule_id: finding.ruleId,
        fingerprint: finding.fingerprint,
        credential: finding.credential ?? 'none',
        procedure: finding.remediation.procedure,
        ...(finding.remediation.planId ? { plan_id: finding.remediation.planId } : {}),
        ...(finding.baseline ? { baseline: finding.baseline } : {}),
        ...(finding.waiver ? { waiver: finding.waiver } : {}),
        evidence: finding.evidence,
      },
    },
  };
}

function waiverText(finding: Finding): string {
  const w = finding.waiver;
  if (!w) return 'Waived';
  return `Waived by credwarden waiver ${w.id} until ${w.expires}${w.approvedBy ? `, approved by ${w.approvedBy}` : ''}: ${w.reason}`;
}

/** Open and waived findings of one rule in one account. */
export interface RuleAccountCounts {
  open: number;
  waived: number;
}

/** Counts of one account's findings by rule id: small (the rules with a finding there). */
export function countsByRule(findings: Iterable<Finding>): Map<string, RuleAccountCounts> {
  const counts = new Map<string, RuleAccountCounts>();
  for (const f of findings) {
    const key = f.ruleId;
    const entry = counts.get(key) ?? { open: 0, waived: 0 };
    if (f.status === 'open') entry.open++;
    else entry.waived++;
    counts.set(key, entry);
  }
  return counts;
}

/** A rule's verdict in one account: failed with an open finding, not decided (warning), waived only, or passed. */
function verdict(rule: RuleSummary, accountId: string, counts: RuleAccountCounts | undefined) {
  if ((counts?.open ?? 0) > 0) return { ...COMPLIANCE_STATUS.fail, detail: `${counts?.open} open findings` };
  const notDecided = rule.notEvaluated.find((n) => n.accountId === accountId);
  if (notDecided) return { ...COMPLIANCE_STATUS.warning, detail: `Not evaluated: ${notDecided.reason}` };
  if ((counts?.waived ?? 0) > 0) return { ...COMPLIANCE_STATUS.waived, detail: `${counts?.waived} findings waived, none open` };
  // Parameters looser than a framework's never read as a pass (issue 19: `deviates`).
  const deviations = rule.deviations ?? [];
  if (deviations.length > 0) return { ...COMPLIANCE_STATUS.warning, detail: `Deviates: ${deviations.map((d) => d.text).join('; ')}` };
  return { ...COMPLIANCE_STATUS.pass, detail: 'No finding' };
}

/** The finding lifecycle of a verdict: passed is resolved, waived suppressed, failed or undecided new (to look at). */
function findingStatus(complianceStatusId: number): { status_id: number; status: string } {
  if (complianceStatusId === COMPLIANCE_STATUS.pass.id) return { status_id: 4, status: 'Resolved' };
  if (complianceStatusId === COMPLIANCE_STATUS.waived.id) return { status_id: 3, status: 'Suppressed' };
  return { status_id: 1, status: 'New' };
}

/** One rule in one account as an OCSF Compliance Finding (class 2003), carrying the rule's status there. */
export function complianceFinding(
  rule: RuleSummary,
  account: Pick<AccountResult, 'id' | 'name' | 'ouPath'>,
  counts: RuleAccountCounts | undefined,
  context: OcsfContext,
): OcsfEvent {
  const status = verdict(rule, account.id, counts);
  const severity = SEVERITY[rule.severity] ?? { id: 99, caption: String(rule.severity) };
  const { time, time_dt } = timeOf(account.id, context);
  const uid = `credwarden/control/${rule.id}/${account.id}`;
  const docs = httpsLinks([rule.docs])[0];
  return {
    class_uid: COMPLIANCE_FINDING,
    class_name: 'Compliance Finding',
    category_uid: FINDINGS_CATEGORY,
    category_name: 'Findings',
    activity_id: 1,
    activity_name: 'Create',
    type_uid: COMPLIANCE_FINDING * 100 + 1,
    type_name: 'Compliance Finding: Create',
    severity_id: severity.id,
    severity: severity.caption,
    ...findingStatus(status.id),
    time,
    time_dt,
    message: `${rule.title}: ${status.caption} in account ${account.id} (${status.detail})`,
    metadata: metadata(context, uid, rule.id),
    finding_info: {
      uid,
      title: `${rule.title} (${account.name ? `${account.name}, ` : ''}${account.id})`,
      ...(rule.description ? { desc: rule.description } : {}),
      created_time: time,
      analytic: { uid: rule.id, name: rule.title, type_id: 1, type: 'Rule' },
      ...(docs ? { src_url: docs } : {}),
    },
    cloud: cloudObject(account.id, account.name, account.ouPath, context),
    compliance: {
      ...complianceObject(rule.frameworks, rule.id),
      desc: rule.description ?? rule.title,
      status_id: status.id,
      status: status.caption,
      status_detail: status.detail,
      checks: [
        { uid: rule.id, name: rule.title, status: status.caption, status_id: status.id, severity: rule.severity, severity_id: severity.id },
      ],
    },
    unmapped: { credwarden: { rule_id: rule.id, rule_status: rule.status, open: counts?.open ?? 0, waived: counts?.waived ?? 0 } },
  };
}
