import type { Account, Finding, Plan, Principal, ScanResult } from '../../model/index.js';
import { severityRank } from '../../model/index.js';
import { assemble, assembleAlternatives, hasApplicableStep } from './assemble.js';
import { buildBlocks, goals, type Block } from './blocks.js';
import { decide, type Decisions } from './decide.js';
import type { PrincipalFacts } from './facts.js';
import { principalFacts, slotOf } from './facts.js';
import { fill, fillCommand, shellQuote } from './template.js';
import type { AccountPlans, Catalogue, PlanAccess, PlanSet, PlanTarget, PrincipalPlan, ProcedureLink } from './types.js';
import { IDENTITY_CENTER_NOTE, PLAN_HEADER } from './types.js';

export { RECENT_USE_DAYS } from './blocks.js';

/** Options of the planner. */
export interface PlanOptions {
  /**
   * Snapshot accounts of the scan. Optional: with them the planner knows every key
   * slot and recovery fact; without them it relies on the findings' evidence.
   */
  accounts?: readonly Account[];
  /** How the scan reached the accounts, so each plan can say how to get there. */
  access?: ScanAccess;
  /**
   * Filled with each planned principal's facts, by account id and ARN: what a compact result
   * (schema v3) stores so that the plan can be made again from the procedures alone.
   */
  facts?: Map<string, PrincipalFacts>;
}

/** The key of a principal's facts in {@link PlanOptions.facts}. */
export function factsKey(accountId: string, arn: string): string {
  return `${accountId}\u0000${arn}`;
}

/** How the scan reached each account: the role it assumed, or the caller's own profile. */
export interface ScanAccess {
  /** --role-name of the scan (assumed in each member account). */
  roleName?: string;
  /** --profile of the scan. */
  profile?: string;
}

/**
 * Plans every open finding of a scan result: one merged, ordered plan per
 * principal, grouped per account. Accounts and plans are ordered by the highest
 * severity they cover, critical first. Pure and deterministic: the same result and
 * catalogue give the same plans; ages come from the result, never the clock.
 */
export function planFindings(result: ScanResult, catalogue: Catalogue, options: PlanOptions = {}): PlanSet {
  const unknownProcedures: PlanSet['unknownProcedures'] = [];
  const groups = new Map<string, Finding[]>();
  for (const finding of result.findings) {
    if (finding.status !== 'open') continue;
    if (!catalogue.has(finding.remediation.procedure)) {
      if (!unknownProcedures.some((u) => u.ruleId === finding.ruleId))
        unknownProcedures.push({ ruleId: finding.ruleId, procedure: finding.remediation.procedure });
      continue;
    }
    const key = `${finding.accountId}\u0000${finding.principal.arn}`;
    const group = groups.get(key);
    if (group) group.push(finding);
    else groups.set(key, [finding]);
  }
  const snapshotIndex = indexSnapshot(options.accounts);
  const resultAccounts = new Map(result.accounts.map((a) => [a.id, a]));
  const accounts = new Map<string, AccountPlans>();
  for (const findings of groups.values()) {
    const first = findings[0]!;
    const hints = { bothKeysActive: findings.some((f) => catalogue.get(f.remediation.procedure)?.handles.includes('finish-key-rotation')) };
    const facts = principalFacts(
      findings,
      asOfOf(result.asOf, resultAccounts.get(first.accountId)),
      snapshotIndex.get(first.accountId)?.get(first.principal.arn),
      hints,
    );
    options.facts?.set(factsKey(first.accountId, first.principal.arn), facts);
    const plan = planPrincipal(findings, facts, catalogue, options.access);
    const account = accounts.get(first.accountId) ?? { accountId: first.accountId, accountName: first.accountName ?? null, plans: [] };
    account.plans.push(plan);
    accounts.set(first.accountId, account);
  }
  for (const account of accounts.values()) account.plans.sort(comparePlans);
  const sorted = [...accounts.values()].sort((a, b) => comparePlans(a.plans[0]!, b.plans[0]!) || a.accountId.localeCompare(b.accountId));
  return { header: PLAN_HEADER, notes: [IDENTITY_CENTER_NOTE], asOf: result.asOf, accounts: sorted, unknownProcedures };
}

/** Highest severity first, then root before users, then by name. */
export function comparePlans(a: Pick<PrincipalPlan, 'findings' | 'principal'>, b: Pick<PrincipalPlan, 'findings' | 'principal'>): number {
  const top = (p: Pick<PrincipalPlan, 'findings'>) => Math.min(...p.findings.map((f) => severityRank(f.severity)));
  return (
    top(a) - top(b) ||
    (a.principal.type === b.principal.type ? 0 : a.principal.type === 'root' ? -1 : 1) ||
    a.principal.name.localeCompare(b.principal.name)
  );
}

/** The time ages are measured from: the scan's --as-of, else the account's own. */
function asOfOf(override: string | null, account: ScanResult['accounts'][number] | undefined): string | null {
  return override ?? account?.asOf ?? account?.reportGeneratedTime ?? null;
}

/** Snapshot principals by account id and ARN, so large organisations plan in linear time. */
function indexSnapshot(accounts: readonly Account[] | undefined): Map<string, Map<string, { account: Account; principal: Principal }>> {
  const index = new Map<string, Map<string, { account: Account; principal: Principal }>>();
  for (const account of accounts ?? []) {
    const byArn = index.get(account.id) ?? new Map<string, { account: Account; principal: Principal }>();
    for (const principal of account.principals) byArn.set(principal.arn, { account, principal });
    index.set(account.id, byArn);
  }
  return index;
}

/** Plans one principal's findings (all of the same account and principal). */
export function planPrincipal(
  findings: readonly Finding[],
  facts: PrincipalFacts,
  catalogue: Catalogue,
  access: ScanAccess = {},
): PrincipalPlan {
  const { decisions, blocks } = decided(findings, facts, catalogue);
  const notes = [...decisions.notes];
  for (const block of blocks.filter((b) => !hasApplicableStep(b, facts))) {
    const about = block.credential === null ? `the ${facts.principal.type === 'root' ? 'root user' : 'user'} as a whole` : block.credential;
    notes.push(
      `Procedure ${block.procedure.id} has no step for ${about}, so it adds nothing here: point the rule at a procedure written for it.`,
    );
  }
  const steps = assemble(
    blocks.map((block) => ({ block, steps: block.procedure.steps })),
    facts,
    notes,
  );
  const alternatives = assembleAlternatives(blocks, facts, notes);
  const usedProcedures = unique(blocks.map((b) => b.procedure));
  return {
    accountId: facts.accountId,
    accountName: facts.accountName,
    principal: facts.principal,
    access: accessOf(facts, access),
    actors: unique(steps.map((s) => s.actor)),
    administrators: administratorsOf(facts, findings),
    goals: goals(decisions, blocks, facts),
    findings: findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      credential: f.credential,
      fingerprint: f.fingerprint,
      message: f.message,
      resolution: resolutionOf(f, decisions, catalogue),
    })),
    procedures: usedProcedures.map((p) => p.id),
    notes: unique(notes),
    steps,
    alternatives,
    // Checks to run come after the sentences, as `$ command` lines.
    verification: unique([
      ...blocks.flatMap((b) => b.procedure.verification.map((v) => fill(v, b.vars))),
      ...blocks.flatMap((b) => (b.procedure.verifyCommands ?? []).map((c) => `$ ${fillCommand(c, b.vars)}`)),
    ]),
    // The organisation's own runbooks come before the AWS pages.
    targets: targetsOf(blocks, facts),
    links: uniqueLinks([
      ...usedProcedures.flatMap((p) => (p.runbook ? [{ title: `${p.title}: your runbook`, url: p.runbook }] : [])),
      ...usedProcedures.flatMap((p) => p.links),
    ]),
  };
}

/**
 * What a principal's plan does, without its text: the procedures it applies and its targets.
 * The same decisions as {@link planPrincipal}, so the same values, made without their sentences
 * (resolutions, notes, reasons); a scan stores these (and the facts) and renders the text only
 * where a report shows it.
 */
export function outlinePrincipal(
  findings: readonly Finding[],
  facts: PrincipalFacts,
  catalogue: Catalogue,
): Pick<Plan, 'procedures' | 'targets'> {
  const { blocks } = decided(findings, facts, catalogue, false);
  const procedures: string[] = [];
  for (const block of blocks) if (!procedures.includes(block.procedure.id)) procedures.push(block.procedure.id);
  return { procedures: exactCopy(procedures), targets: exactCopy(targetsOf(blocks, facts)) };
}

/** What happens to each credential, and the procedure blocks that do it, in plan order; with their sentences unless `words` is false. */
function decided(
  findings: readonly Finding[],
  facts: PrincipalFacts,
  catalogue: Catalogue,
  words = true,
): { decisions: Decisions; blocks: Block[] } {
  const decisions = decide(findings, facts, catalogue, { words });
  return { decisions, blocks: buildBlocks(facts, decisions, catalogue) };
}

/** How the plan resolves a finding: what the decisions say, else its procedure's title. */
function resolutionOf(finding: Finding, decisions: Decisions, catalogue: Catalogue): string {
  return decisions.resolutions.get(finding) ?? catalogue.get(finding.remediation.procedure)!.title + '.';
}

/** One target per block (per procedure and credential): the procedure, its credential and, when the scan knew it, the key id. */
function targetsOf(blocks: readonly Block[], facts: PrincipalFacts): PlanTarget[] {
  const targets: PlanTarget[] = [];
  // A plan has a handful of blocks: a look back through the targets made so far finds a repeat.
  for (const b of blocks) {
    const credential = b.credential ?? '';
    if (targets.some((t) => t.procedure === b.procedure.id && (t.credential ?? '') === credential)) continue;
    // The key id the block's commands use (`{{keyId}}`), when the scan knew it.
    const slot = b.kind === 'access_key' ? slotOf(b.credential) : null;
    const keyId = slot === null ? null : facts.keys[slot - 1]!.id;
    targets.push(
      typeof keyId === 'string'
        ? { procedure: b.procedure.id, credential: b.credential, keyId }
        : { procedure: b.procedure.id, credential: b.credential },
    );
  }
  return targets;
}

/**
 * Where the plan runs and how to get there, with a check that fails fast in the wrong
 * account. The account id comes from the report; it is always 12 digits there.
 */
function accessOf(facts: PrincipalFacts, access: ScanAccess): PlanAccess {
  const account = facts.accountId;
  const check = accountCheck(account);
  const ways: string[] = [];
  if (access.roleName) {
    ways.push(
      `the scan assumed the role ${access.roleName} (arn:${facts.partition}:iam::${account}:role/${access.roleName}); it is read-only for the scan, so assume a role next to it that may make these changes`,
    );
  }
  ways.push(
    access.profile
      ? `a profile for this account (the scan used --profile ${access.profile}; set AWS_PROFILE or pass --profile to every command)`
      : 'a profile for this account (set AWS_PROFILE or pass --profile to every command)',
  );
  const console =
    facts.principal.type === 'root' ? ' Console steps sign in as the root user of this account; the check applies to the CLI steps.' : '';
  return {
    accountId: account,
    accountName: facts.accountName,
    how: `Use credentials for account ${account}: ${ways.join('; or ')}.${console}`,
    check,
  };
}

/**
 * A shell check that prints OK only in `account`. The id comes from the report: a real one is
 * 12 digits, a tampered one is quoted like every other value, never spliced into the command.
 */
export function accountCheck(account: string): string {
  if (/^\d{12}$/.test(account)) {
    return `[ "$(aws sts get-caller-identity --query Account --output text)" = "${account}" ] && echo "OK: account ${account}" || echo "STOP: these credentials are not for account ${account}" >&2`;
  }
  const id = shellQuote(account);
  return `[ "$(aws sts get-caller-identity --query Account --output text)" = ${id} ] && echo OK: account ${id} || echo STOP: these credentials are not for account ${id} >&2`;
}

/**
 * Who can reset the credentials these findings are about: password administrators for a
 * password finding, key administrators for a key finding, both for a principal-wide one.
 */
function administratorsOf(facts: PrincipalFacts, findings: readonly Finding[]): string[] {
  const about = (kind: 'password' | 'access_key') => findings.some((f) => f.credential === null || (f.credential ?? '').startsWith(kind));
  return unique([
    ...(about('password') ? (facts.recovery.password?.administrators ?? []) : []),
    ...(about('access_key') ? (facts.recovery.accessKeys?.administrators ?? []) : []),
  ]);
}

/**
 * The items in an array of their number. An array grown by `push` keeps room for 16 items, and
 * a scan keeps each plan's outline until its account's reports are written: its few procedures
 * and targets in arrays of their own size take a fifth of the memory.
 */
export function exactCopy<T>(items: T[]): T[] {
  return items.length === 0 ? items : items.slice();
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function uniqueLinks(links: readonly ProcedureLink[]): ProcedureLink[] {
  const seen = new Set<string>();
  return links.filter((l) => !seen.has(l.url) && seen.add(l.url));
}
