import type { Finding, Plan, ScanResult, Severity } from '../../../model/index.js';
import { SEVERITIES, severityRank } from '../../../model/index.js';
import { planOutlines, type PlanOutline, type ResultProcedure } from '../../remediation/index.js';
import { IDENTITY_CENTER_NOTE, PLAN_HEADER } from '../../remediation/index.js';
import { fill, fillCommand } from '../../remediation/template.js';
import type { ProcedureStep } from '../../remediation/types.js';
import { csvRecord, SpreadsheetRows } from '../csv.js';
import { escapeMarkdownCell as cell, escapeMarkdownInline as inline, guardPlainText, markdownCode as code } from '../../util/escape.js';
import type { AccountSlice, RunHeader, Tallies } from '../../pipeline/types.js';
import { STATELESS, type ReportSink } from '../types.js';

/*
 * Plans at scale are campaigns. Nobody reads 44,537 per-principal plans: an engineer needs one
 * runbook per procedure and the list of its targets. credwarden-plans.md states each procedure's
 * steps once, then its first targets; credwarden-targets.csv lists every target. Both are built
 * from the result's compact parts (plans' targets, findings, procedures), one plan at a time, and
 * the Markdown keeps a bounded number of rows per procedure, so its size does not grow with the
 * organisation.
 */

/** File name of every target, one row each, written beside credwarden-plans.md. */
export const TARGETS_FILE = 'credwarden-targets.csv';

/** Target rows each campaign shows in the Markdown; the CSV has them all. */
export const CAMPAIGN_ROWS = 100;

/**
 * Days from the scan's as-of date by which a target of each severity is due. A default that
 * matches common remediation service levels; the CSV holds the severity too, so a team with its
 * own levels recomputes the date.
 */
export const DUE_DAYS: Readonly<Record<Severity, number>> = { critical: 7, high: 30, medium: 90, low: 180, info: 365 };

/** One procedure applied to one credential of one principal: a row of a campaign. */
export interface TargetRow {
  procedure: string;
  accountId: string;
  accountName: string | null;
  principalType: 'root' | 'user';
  principal: string;
  arn: string;
  credential: string | null;
  keyId: string | null;
  severity: Severity;
  /** YYYY-MM-DD, or null when the scan has no as-of time. */
  due: string | null;
  planId: string;
}

/** What a plan needs to know about its result to give its rows. */
export interface TargetContext {
  /** Findings by fingerprint (the plan names its findings by fingerprint). */
  findings: ReadonlyMap<string, Pick<Finding, 'severity' | 'credential' | 'accountName'>>;
  /** Account names by id. */
  accountNames: ReadonlyMap<string, string | null>;
  /** The as-of time of each account (the scan's --as-of, else the account's report time). */
  asOf: (accountId: string) => string | null;
  /** {@link dueDate} of an account's as-of time, worked out once per account and severity. */
  due: (accountId: string, severity: Severity) => string | null;
}

/** {@link TargetContext.due} from the accounts' as-of times. */
function dueDates(asOf: (accountId: string) => string | null): TargetContext['due'] {
  const known = new Map<string, string | null>();
  return (accountId, severity) => {
    const key = `${accountId}\u0000${severity}`;
    let due = known.get(key);
    if (due === undefined) known.set(key, (due = dueDate(asOf(accountId), severity)));
    return due;
  };
}

/** The context of a whole result, for the formatters that hold one. */
export function targetContext(result: ScanResult): TargetContext {
  const accounts = new Map(result.accounts.map((a) => [a.id, a]));
  const asOf = (id: string) => result.asOf ?? accounts.get(id)?.asOf ?? accounts.get(id)?.reportGeneratedTime ?? null;
  return {
    findings: new Map(result.findings.map((f) => [f.fingerprint, f])),
    accountNames: new Map(result.accounts.map((a) => [a.id, a.name ?? null])),
    asOf,
    due: dueDates(asOf),
  };
}

/** The context of one account's slice: its findings, its name and its as-of time. */
export function sliceTargetContext(slice: AccountSlice, asOf: string | null): TargetContext {
  const account = slice.account;
  const accountAsOf = asOf ?? account?.asOf ?? account?.reportGeneratedTime ?? null;
  return {
    findings: new Map(slice.findings.map((f) => [f.fingerprint, f])),
    accountNames: new Map([[slice.id, account?.name ?? null]]),
    asOf: () => accountAsOf,
    due: dueDates(() => accountAsOf),
  };
}

/** The rows of one plan: one per procedure and credential it acts on. */
export function targetRows(plan: PlanOutline, context: TargetContext): TargetRow[] {
  const findings: Pick<Finding, 'severity' | 'credential' | 'accountName'>[] = [];
  for (const ref of plan.findings) {
    const f = context.findings.get(ref.fingerprint);
    if (f) findings.push(f);
  }
  const targets: NonNullable<Plan['targets']> = plan.targets ?? plan.procedures.map((procedure) => ({ procedure, credential: null }));
  const accountName = context.accountNames.get(plan.accountId) ?? findings[0]?.accountName ?? null;
  const rows = new Array<TargetRow>(targets.length);
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]!;
    const severity = targetSeverity(findings, t.credential);
    rows[i] = {
      procedure: t.procedure,
      accountId: plan.accountId,
      accountName,
      principalType: plan.principal.type,
      principal: plan.principal.name,
      arn: plan.principal.arn,
      credential: t.credential,
      keyId: t.keyId ?? null,
      severity,
      due: context.due(plan.accountId, severity),
      planId: plan.id,
    };
  }
  return rows;
}

/**
 * A target's severity: the highest of the plan's findings about its credential, else of all the
 * plan's findings (info when there is none). One pass, no intermediate lists: it runs per target.
 */
function targetSeverity(findings: readonly Pick<Finding, 'severity' | 'credential'>[], credential: string | null): Severity {
  let about = Infinity;
  let all = Infinity;
  for (const f of findings) {
    const rank = severityRank(f.severity);
    if (rank < all) all = rank;
    if (f.credential === credential && rank < about) about = rank;
  }
  return SEVERITIES[Math.min(SEVERITIES.length - 1, about !== Infinity ? about : all)]!;
}

/** The as-of date plus the severity's days, as YYYY-MM-DD (UTC). */
export function dueDate(asOf: string | null, severity: Severity): string | null {
  const at = asOf === null ? NaN : Date.parse(asOf);
  if (Number.isNaN(at)) return null;
  return new Date(at + DUE_DAYS[severity] * 86_400_000).toISOString().slice(0, 10);
}

/** Most severe first, then by account, principal and credential: the order rows are shown in. */
export function compareRows(a: TargetRow, b: TargetRow): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    cmp(a.accountId, b.accountId) ||
    (a.principalType === b.principalType ? 0 : a.principalType === 'root' ? -1 : 1) ||
    cmp(a.principal, b.principal) ||
    cmp(a.arn, b.arn) ||
    cmp(a.credential ?? '', b.credential ?? '')
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One procedure's campaign: how many targets, by severity, and the first rows. */
export interface Campaign {
  procedure: string;
  targets: number;
  bySeverity: Record<Severity, number>;
  /** The most severe rows, at most the book's limit, in {@link compareRows} order. */
  rows: TargetRow[];
}

/**
 * Collects target rows into campaigns, one per procedure, keeping at most `limit` rows each (the
 * most severe): memory and output stay bounded however many targets are added.
 */
export class CampaignBook {
  private readonly campaigns = new Map<string, Campaign>();
  /**
   * Each campaign's last kept row at its latest trim: a row after it in {@link compareRows} order
   * can never be among the first `limit` (at least `limit` kept rows come before it), so it is
   * counted and dropped at once instead of waiting for the next sort.
   */
  private readonly cutoffs = new Map<string, TargetRow>();

  constructor(private readonly limit = CAMPAIGN_ROWS) {}

  add(row: TargetRow): void {
    let campaign = this.campaigns.get(row.procedure);
    if (!campaign) {
      campaign = { procedure: row.procedure, targets: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, rows: [] };
      this.campaigns.set(row.procedure, campaign);
    }
    campaign.targets += 1;
    campaign.bySeverity[row.severity] += 1;
    const cutoff = this.cutoffs.get(row.procedure);
    if (cutoff !== undefined && compareRows(row, cutoff) > 0) return;
    campaign.rows.push(row);
    // Trim in batches: sorting on every add would cost a sort per row.
    if (campaign.rows.length >= this.limit * 2) {
      campaign.rows = campaign.rows.sort(compareRows).slice(0, this.limit);
      if (this.limit > 0 && campaign.rows.length === this.limit) this.cutoffs.set(row.procedure, campaign.rows[this.limit - 1]!);
    }
  }

  /** The campaigns as data (each with its kept rows), for another book to absorb (see SinkState). */
  save(): Campaign[] {
    return [...this.campaigns.values()];
  }

  /** Adds another book's campaigns: counts add up, rows are trimmed in the same total order. */
  absorb(others: readonly Campaign[]): void {
    for (const other of others) {
      const campaign = this.campaigns.get(other.procedure);
      if (!campaign) {
        this.campaigns.set(other.procedure, { ...other, rows: [...other.rows] });
        continue;
      }
      campaign.targets += other.targets;
      for (const s of SEVERITIES) campaign.bySeverity[s] += other.bySeverity[s];
      campaign.rows = [...campaign.rows, ...other.rows].sort(compareRows).slice(0, this.limit);
    }
  }

  /** The campaigns, most severe first (then the most targets, then by procedure id). */
  list(): Campaign[] {
    const all = [...this.campaigns.values()].map((c) => ({ ...c, rows: [...c.rows].sort(compareRows).slice(0, this.limit) }));
    const top = (c: Campaign) => SEVERITIES.findIndex((s) => c.bySeverity[s] > 0);
    return all.sort((a, b) => top(a) - top(b) || b.targets - a.targets || cmp(a.procedure, b.procedure));
  }
}

/** The columns of credwarden-targets.csv. */
export const TARGET_COLUMNS = [
  'procedure',
  'account_id',
  'account_name',
  'principal_type',
  'principal',
  'arn',
  'credential',
  'key_id',
  'severity',
  'due',
  'plan_id',
] as const;

/** A target's values, in {@link TARGET_COLUMNS}' order. */
function setTargetCells(record: SpreadsheetRows, row: TargetRow): void {
  record.set(0, row.procedure);
  record.set(1, row.accountId);
  record.set(2, row.accountName ?? '');
  record.set(3, row.principalType);
  record.set(4, row.principal);
  record.set(5, row.arn);
  record.set(6, row.credential ?? '');
  record.set(7, row.keyId ?? '');
  record.set(8, row.severity);
  record.set(9, row.due ?? '');
  record.set(10, row.planId);
}

/** CSV lines of targets, one piece per target, each cell neutralised for spreadsheets like every CSV credwarden writes. */
function* targetCsvChunks(rows: Iterable<TargetRow>): Generator<string> {
  const record = new SpreadsheetRows(TARGET_COLUMNS.length, '\n');
  for (const row of rows) {
    setTargetCells(record, row);
    yield record.text();
  }
}

/** credwarden-targets.csv of a whole result: the header, then every target, plan by plan. */
export function* formatTargetsCsv(result: ScanResult): Generator<string> {
  yield targetsCsvHeader();
  const context = targetContext(result);
  yield* targetCsvChunks(allTargetRows(result.plans, context));
}

function* allTargetRows(plans: Iterable<PlanOutline>, context: TargetContext): Generator<TargetRow> {
  for (const plan of plans) yield* targetRows(plan, context);
}

/** The header line of credwarden-targets.csv. */
function targetsCsvHeader(): string {
  return csvRecord(TARGET_COLUMNS, '\n');
}

/**
 * The target rows of one account's slice, made once: credwarden-plans.md and
 * credwarden-targets.csv both read them, and receive the same slice object.
 */
const SLICE_ROWS = new WeakMap<AccountSlice, { asOf: string | null; rows: TargetRow[] }>();

function sliceTargetRows(slice: AccountSlice, asOf: string | null): TargetRow[] {
  const known = SLICE_ROWS.get(slice);
  if (known && known.asOf === asOf) return known.rows;
  const context = sliceTargetContext(slice, asOf);
  const rows: TargetRow[] = [];
  for (const plan of planOutlines(slice)) for (const row of targetRows(plan, context)) rows.push(row);
  SLICE_ROWS.set(slice, { asOf, rows });
  return rows;
}

/**
 * credwarden-plans.md as a report sink: each account's target rows go into a bounded
 * {@link CampaignBook} (nothing is written per account); the file is rendered at the end from
 * the book and the procedures the run used. Omitted when `written(tallies)` says the plans stay
 * in the report.
 */
export function openCampaigns(
  header: Pick<RunHeader, 'asOf'>,
  written: (tallies: Tallies) => boolean,
  options: CampaignOptions = {},
): ReportSink {
  const book = new CampaignBook(options.rows);
  let principals = 0;
  return {
    account(slice) {
      for (const row of sliceTargetRows(slice, header.asOf)) book.add(row);
      principals += planOutlines(slice).length;
      return [];
    },
    end(tallies) {
      if (!written(tallies)) return { omit: true };
      return { head: guardPlainText(renderCampaigns(book.list(), tallies.procedures ?? [], { ...options, principals })) };
    },
    state: {
      save: () => ({ book: book.save(), principals }),
      absorb(saved) {
        const other = saved as { book: Campaign[]; principals: number };
        book.absorb(other.book);
        principals += other.principals;
      },
    },
  };
}

/** credwarden-targets.csv as a report sink: every target, account by account (see {@link openCampaigns}). */
export function openTargetsCsv(header: Pick<RunHeader, 'asOf'>, written: (tallies: Tallies) => boolean): ReportSink {
  return {
    account: (slice) => targetCsvChunks(sliceTargetRows(slice, header.asOf)),
    fixedHead: () => [targetsCsvHeader()],
    end: (tallies) => (written(tallies) ? { head: [targetsCsvHeader()] } : { omit: true }),
    state: STATELESS,
  };
}

/** credwarden-plans.md of a whole result: campaigns from its plans and procedures. */
export function formatCampaigns(result: ScanResult, options: CampaignOptions = {}): Generator<string> {
  const book = new CampaignBook(options.rows);
  const context = targetContext(result);
  const principals = result.plans.length;
  for (const plan of result.plans) for (const row of targetRows(plan, context)) book.add(row);
  return renderCampaigns(book.list(), (result.procedures ?? []) as ResultProcedure[], { ...options, principals });
}

/** Options of the campaign Markdown. */
export interface CampaignOptions {
  /** Rows per campaign (default {@link CAMPAIGN_ROWS}). */
  rows?: number;
  /** How many principals have a plan, for the introduction. */
  principals?: number;
}

/**
 * The campaign Markdown: the never-executes header, how to read it, an index of campaigns, then
 * per procedure its steps once (placeholders such as `<USER>` stand for each target's values) and
 * its first targets.
 */
export function* renderCampaigns(
  campaigns: readonly Campaign[],
  procedures: readonly ResultProcedure[],
  options: CampaignOptions = {},
): Generator<string> {
  const byId = new Map(procedures.map((p) => [p.id, p]));
  const limit = options.rows ?? CAMPAIGN_ROWS;
  yield `# credwarden: remediation campaigns\n\n> ${inline(PLAN_HEADER)}\n\n> ${inline(IDENTITY_CENTER_NOTE)}\n`;
  if (campaigns.length === 0) {
    yield '\nNo open findings need a plan.\n';
    return;
  }
  const targets = campaigns.reduce((n, c) => n + c.targets, 0);
  yield [
    '',
    `${options.principals ?? 'The'} principals with open findings need ${targets} changes, in ${campaigns.length} campaigns: one per procedure. Each campaign gives its steps once, with placeholders such as \`<USER>\` and \`<ACCESS_KEY_ID_1>\` for each target's values, then its most severe targets (at most ${limit} here). Every target is in \`${TARGETS_FILE}\`, next to this file.`,
    '',
    "For one principal's full plan, with every value filled in and the steps of all its procedures merged in a safe order, run `credwarden plan RESULT.json --principal NAME_OR_ARN --account ACCOUNT_ID` on the JSON result.",
    '',
    'Before the steps of each target, make sure your credentials are for its account; this prints OK only there:',
    '',
    '```sh',
    '[ "$(aws sts get-caller-identity --query Account --output text)" = "<ACCOUNT>" ] && echo "OK: account <ACCOUNT>" || echo "STOP: these credentials are not for account <ACCOUNT>" >&2',
    '```',
    '',
    '## Campaigns',
    '',
    '| # | Procedure | Targets | Critical | High | Medium | Low | Info |',
    '|---|---|---|---|---|---|---|---|',
    ...campaigns.map(
      (c, i) =>
        `| ${i + 1} | ${cell(byId.get(c.procedure)?.title ?? c.procedure)} (${code(c.procedure)}) | ${c.targets} | ${SEVERITIES.map((s) => c.bySeverity[s]).join(' | ')} |`,
    ),
    '',
  ].join('\n');
  for (const [i, campaign] of campaigns.entries()) yield renderCampaign(campaign, i + 1, byId.get(campaign.procedure));
}

function renderCampaign(campaign: Campaign, n: number, procedure: ResultProcedure | undefined): string {
  const title = procedure?.title ?? campaign.procedure;
  const out = [
    '',
    `## ${n}. ${inline(title)} (${code(campaign.procedure, false)}): ${campaign.targets} ${campaign.targets === 1 ? 'target' : 'targets'}`,
    '',
  ];
  if (!procedure) {
    out.push(
      `This result does not hold the text of procedure ${code(campaign.procedure, false)} (it was written before results carried it): see \`credwarden plan RESULT.json --principal NAME\`.`,
      '',
    );
  } else out.push(...procedureText(procedure));
  out.push(
    `**Targets** (${campaign.rows.length < campaign.targets ? `the ${campaign.rows.length} most severe of ${campaign.targets}` : `all ${campaign.targets}`})`,
    '',
  );
  out.push('| Account | Principal | Credential | Key id | Severity | Due |', '|---|---|---|---|---|---|');
  for (const r of campaign.rows) {
    const account = `${r.accountId}${r.accountName ? ` (${r.accountName})` : ''}`;
    const principal = r.principalType === 'root' ? 'root user' : r.principal;
    out.push(
      `| ${cell(account)} | ${code(principal)} | ${r.credential ?? 'principal'} | ${r.keyId ? code(r.keyId) : '—'} | ${r.severity} | ${r.due ?? '—'} |`,
    );
  }
  if (campaign.rows.length < campaign.targets) {
    out.push(
      '',
      `…and ${campaign.targets - campaign.rows.length} more targets in \`${TARGETS_FILE}\` (procedure ${code(campaign.procedure, false)}).`,
    );
  }
  out.push('');
  return out.join('\n');
}

/** A procedure's constant text, stated once: summary, prerequisites, steps, alternatives, checks, links. */
function procedureText(p: ResultProcedure): string[] {
  const out = [inline(p.summary), ''];
  if (p.prerequisites.length > 0) out.push('**Before you start**', '', ...p.prerequisites.map((t) => `- ${prose(t)}`), '');
  out.push('**Steps**', '', ...steps(p.steps, p.actor), '');
  for (const alt of p.alternatives ?? []) {
    out.push(`**Alternative: ${inline(alt.title)}** (${alt.actor}; when: ${inline(alt.when)})`, '', ...steps(alt.steps, alt.actor), '');
  }
  const checks = [
    ...p.verification.map((v) => `- ${prose(v)}`),
    ...(p.verifyCommands ?? []).map((c) => `- ${code(fillCommand(c, {}), false)}`),
  ];
  if (checks.length > 0) out.push('**Verify**', '', ...checks, '');
  const links = [...(p.runbook ? [{ title: `${p.title}: your runbook`, url: p.runbook }] : []), ...p.links];
  if (links.length > 0)
    out.push('**References**', '', ...links.map((l) => `- [${inline(l.title)}](${l.url.replace(/[()<>\s]/g, encodeURIComponent)})`), '');
  return out;
}

/** Template prose with every placeholder shown as `<NAME>`, as a code span. */
function prose(template: string): string {
  return fill(template, {})
    .split(/(<[A-Z][A-Z0-9_]*>)/)
    .map((part, i) => (i % 2 === 1 ? `\`${part}\`` : inline(part)))
    .join('');
}

const FOR_LABEL = { root: 'root user only', user: 'IAM users only' } as const;

function steps(list: readonly ProcedureStep[], actor: string): string[] {
  const out: string[] = [];
  list.forEach((step, i) => {
    const scope = [
      step.for ? FOR_LABEL[step.for] : '',
      step.only ? `for ${step.only.join(', ').replace(/_/g, ' ')}` : '',
      step.when ? (step.when === 'self-service' ? 'when the user may do it themself' : 'when the user may not') : '',
    ].filter((x) => x !== '');
    out.push(`${i + 1}. **${step.actor ?? actor}**${scope.length > 0 ? ` (${scope.join('; ')})` : ''}: ${prose(step.text)}`);
    if ((step.commands ?? []).length > 0)
      out.push('', '   ```sh', ...(step.commands ?? []).map((c) => `   ${fillCommand(c, {}).replace(/[\r\n]+/g, ' ')}`), '   ```', '');
  });
  return out;
}
