import type { Account, Credential, Finding, Principal, ScanResult } from '../../model/index.js';
import type { PrincipalFacts, RecoveryFacts } from './facts.js';
import { principalFacts, slotOf } from './facts.js';
import { decide, type Decisions, type KeyAction } from './decide.js';
import { describeLastUse, fill, fillCommand, formatDays, keyIdPlaceholder, mentionsCredential, templateVars } from './template.js';
import type { AccountPlans, Actor, Catalogue, PlanSet, PlanStep, PrincipalPlan, Procedure, ProcedureLink, ProcedureStep } from './types.js';
import { PLAN_HEADER } from './types.js';
import { RESOLVE_KEY_IDS } from './procedures/steps.js';

/** Says which of two variants applies when it is not known whether the user may manage the credential. */
const WHEN_PREFIX = {
  'self-service': 'If {user} may manage this credential themself: ',
  administrator: 'If {user} may not: ',
} as const;

/** A key used this recently gets a "find its consumers first" caution. */
export const RECENT_USE_DAYS = 30;

/** Options of the planner. */
export interface PlanOptions {
  /**
   * Snapshot accounts of the scan. Optional: with them the planner knows every key
   * slot and recovery fact; without them it relies on the findings' evidence.
   */
  accounts?: readonly Account[];
}

/** A procedure instantiated for one credential (or the whole principal). */
interface Block {
  phase: number;
  procedure: Procedure;
  credential: Credential;
  vars: Record<string, string>;
  /** Safety notes by step id. */
  cautions: Map<string, string>;
  /** Extra planner-made steps placed before the procedure's own. */
  before?: ProcedureStep[];
}

const PHASE = { protect: 10, password: 15, freeSlot: 20, retire: 30, rotate: 40, certificate: 60, usage: 70, recovery: 80, other: 90 } as const;

const PROCEDURE_PHASE: Readonly<Record<string, number>> = {
  'enable-root-mfa': PHASE.protect,
  'enable-root-hardware-mfa': PHASE.protect,
  'enable-user-mfa': PHASE.protect,
  'rotate-signing-certificate': PHASE.certificate,
  'stop-using-root': PHASE.usage,
  'establish-recovery-path': PHASE.recovery,
  'add-second-administrator': PHASE.recovery,
  'fix-password-expiry-lockout': PHASE.recovery,
};

/**
 * Plans every open finding of a scan result: one merged, ordered plan per
 * principal, grouped per account. Pure and deterministic: the same result and
 * catalogue give the same plans; ages come from the result, never the clock.
 */
export function planFindings(result: ScanResult, catalogue: Catalogue, options: PlanOptions = {}): PlanSet {
  const unknownProcedures: PlanSet['unknownProcedures'] = [];
  const groups = new Map<string, Finding[]>();
  for (const finding of result.findings) {
    if (finding.status !== 'open') continue;
    if (!catalogue.has(finding.remediation.procedure)) {
      if (!unknownProcedures.some((u) => u.ruleId === finding.ruleId)) unknownProcedures.push({ ruleId: finding.ruleId, procedure: finding.remediation.procedure });
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
    const facts = principalFacts(findings, asOfOf(result.asOf, resultAccounts.get(first.accountId)), snapshotIndex.get(first.accountId)?.get(first.principal.arn));
    const plan = planPrincipal(findings, facts, catalogue);
    const account = accounts.get(first.accountId) ?? { accountId: first.accountId, accountName: first.accountName ?? null, plans: [] };
    account.plans.push(plan);
    accounts.set(first.accountId, account);
  }
  const sorted = [...accounts.values()].sort((a, b) => a.accountId.localeCompare(b.accountId));
  for (const account of sorted) account.plans.sort(comparePlans);
  return { header: PLAN_HEADER, asOf: result.asOf, accounts: sorted, unknownProcedures };
}

/** Root first, then users by name. */
function comparePlans(a: PrincipalPlan, b: PrincipalPlan): number {
  if (a.principal.type !== b.principal.type) return a.principal.type === 'root' ? -1 : 1;
  return a.principal.name.localeCompare(b.principal.name);
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
export function planPrincipal(findings: readonly Finding[], facts: PrincipalFacts, catalogue: Catalogue): PrincipalPlan {
  const decisions = decide(findings, facts);
  const blocks = buildBlocks(facts, decisions, catalogue);
  const notes = [...decisions.notes];
  const steps = assemble(blocks, facts, notes, (b) => b.procedure.steps);
  const alternatives = assembleAlternatives(blocks, facts, notes);
  const procedures = unique(blocks.map((b) => b.procedure.id));
  const usedProcedures = procedures.map((id) => catalogue.get(id)!);
  const actors = unique([...steps.map((s) => s.actor)]);
  return {
    accountId: facts.accountId,
    accountName: facts.accountName,
    principal: facts.principal,
    actors,
    administrators: administratorsOf(facts, findings),
    goals: goals(decisions, blocks, facts),
    findings: findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      credential: f.credential,
      fingerprint: f.fingerprint,
      message: f.message,
      resolution: decisions.resolutions.get(f) ?? catalogue.get(f.remediation.procedure)!.title + '.',
    })),
    procedures,
    notes: unique(notes),
    steps,
    alternatives,
    verification: unique(blocks.flatMap((b) => b.procedure.verification.map((v) => fill(v, b.vars)))),
    // The organisation's own runbooks come before the AWS pages.
    links: uniqueLinks([...usedProcedures.flatMap((p) => (p.runbook ? [{ title: `${p.title}: your runbook`, url: p.runbook }] : [])), ...usedProcedures.flatMap((p) => p.links)]),
  };
}

function buildBlocks(facts: PrincipalFacts, d: Decisions, catalogue: Catalogue): Block[] {
  const blocks: Block[] = [];
  const keyPlaceholders = [...d.keys.keys()].sort().map(keyIdPlaceholder).join(' and ') || keyIdPlaceholder(1);
  const base = { keyIdPlaceholders: keyPlaceholders, admin: adminPhrase(facts, 'accessKeys') };
  // A key procedure written for IAM users cannot retire a root key: root keys follow the root procedure.
  const procedureFor = (id: string) => {
    const procedure = catalogue.get(id) ?? catalogue.get('remove-unused-access-key')!;
    return procedure.appliesTo.includes(facts.principal.type) ? procedure : catalogue.get(facts.principal.type === 'root' ? 'delete-root-access-key' : 'remove-unused-access-key')!;
  };

  for (const [slot, action] of [...d.keys.entries()].sort(([a], [b]) => a - b)) {
    const credential = slot === 1 ? 'access_key_1' : 'access_key_2';
    const extra: Record<string, string> = { ...base };
    if (action.moveTo !== undefined) extra.otherSlot = String(action.moveTo);
    blocks.push({
      phase: action.kind === 'rotate' ? PHASE.rotate : action.freesFor !== undefined ? PHASE.freeSlot : PHASE.retire,
      procedure: procedureFor(action.procedure),
      credential,
      vars: templateVars(facts, credential, extra),
      cautions: keyCautions(facts, slot, action),
    });
  }
  if (d.undecidedRotation) blocks.push(undecidedRotationBlock(facts, catalogue, base));
  if (d.removePassword) {
    blocks.push({ phase: PHASE.password, procedure: catalogue.get('disable-unused-credential')!, credential: 'password', vars: templateVars(facts, 'password', { ...base, admin: adminPhrase(facts, 'password') }), cautions: new Map() });
  }
  const seen = new Set<string>();
  for (const f of d.standalone) {
    const id = `${f.remediation.procedure}|${f.credential ?? ''}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const procedure = catalogue.get(f.remediation.procedure)!;
    if (!procedure.appliesTo.includes(facts.principal.type)) {
      // E.g. a root-only procedure on an IAM user: never hand an IAM user the root password flow.
      const who = facts.principal.type === 'root' ? 'the root user' : 'IAM users';
      d.notes.push(`Rule ${f.ruleId} names procedure ${procedure.id}, which is not written for ${who}; it is left out of this plan.`);
      d.resolutions.set(f, `No plan: procedure ${procedure.id} does not apply to ${who}.`);
      continue;
    }
    const kind = f.credential === 'password' ? 'password' : 'accessKeys';
    blocks.push({
      phase: PROCEDURE_PHASE[f.remediation.procedure] ?? PHASE.other,
      procedure: catalogue.get(f.remediation.procedure)!,
      credential: f.credential,
      vars: templateVars(facts, f.credential, { ...base, admin: adminPhrase(facts, kind) }),
      cautions: new Map(),
    });
  }
  // Stable order: phase, then credential, then procedure id.
  return blocks.sort((a, b) => a.phase - b.phase || (a.credential ?? '').localeCompare(b.credential ?? '') || a.procedure.id.localeCompare(b.procedure.id));
}

/** finish-access-key-rotation when the facts cannot say which key should go. */
function undecidedRotationBlock(facts: PrincipalFacts, catalogue: Catalogue, base: Record<string, string>): Block {
  const vars = templateVars(facts, null, { ...base, slot: 'X (the one to retire)', otherSlot: 'Y (the one to keep)', keyId: '<ACCESS_KEY_ID_TO_RETIRE>', otherKeyId: '<ACCESS_KEY_ID_TO_KEEP>', keyIdPlaceholders: '<ACCESS_KEY_ID_1> and <ACCESS_KEY_ID_2>' });
  return {
    phase: PHASE.retire,
    procedure: catalogue.get('finish-access-key-rotation')!,
    credential: null,
    vars,
    cautions: new Map(),
    before: [
      RESOLVE_KEY_IDS,
      {
        id: 'choose-key-to-retire',
        for: 'user',
        text: "Choose the key to retire: the unused one, else the older one. Compare both keys' last-used and creation dates. Below, key X is the one you retire (its id replaces <ACCESS_KEY_ID_TO_RETIRE>) and key Y is the one that stays.",
        commands: ['aws iam get-access-key-last-used --access-key-id <ACCESS_KEY_ID_1>', 'aws iam get-access-key-last-used --access-key-id <ACCESS_KEY_ID_2>'],
      },
    ],
  };
}

/** Safety notes for deactivating or replacing one key. */
function keyCautions(facts: PrincipalFacts, slot: 1 | 2, action: KeyAction): Map<string, string> {
  const cautions = new Map<string, string>();
  const key = facts.keys[slot - 1]!;
  if (action.kind === 'delete-inactive') {
    const text = `Access key ${slot} is already inactive; if anything failed since it was deactivated, reactivate it and move that consumer first.`;
    cautions.set('delete-key', text);
    cautions.set('root-delete-key', text);
    return cautions;
  }
  const deactivate = facts.principal.type === 'root' ? 'root-deactivate-key' : 'deactivate-key';
  const consumers = facts.principal.type === 'root' ? 'root-move-consumers' : 'find-key-consumers';
  if (key.lastUsedDaysAgo !== null && key.lastUsedDaysAgo <= RECENT_USE_DAYS) {
    const text = `Access key ${slot} was used ${describeLastUse(key)}: find its consumers before deactivating it.`;
    cautions.set(consumers, text);
    cautions.set(deactivate, text);
  } else if (key.lastUsedKnown && key.lastUsed === null) {
    cautions.set(deactivate, `Access key ${slot} was never used, so deactivating it should break nothing; it stays reversible until it is deleted.`);
  } else if (key.lastUsed === null) {
    cautions.set(deactivate, `The last use of access key ${slot} is not known here: check it (get-access-key-last-used) before deactivating.`);
  }
  return cautions;
}

/** Who can reset a credential of the principal, in words, for `{admin}`. */
function adminPhrase(facts: PrincipalFacts, kind: 'password' | 'accessKeys'): string {
  if (facts.principal.type === 'root') return 'the root user';
  const recovery = known(facts.recovery[kind]);
  if (!recovery) return 'an administrator';
  const admins = recovery.administrators ?? [];
  if (admins.length > 0) return admins.length === 1 ? `an administrator (${admins[0]})` : `an administrator (one of ${admins.join(', ')})`;
  if (recovery.rootFallback === 'privileged-root-task') return `the management account, through a privileged root task on account ${facts.accountId} (no administrator in the account can reset this credential)`;
  if (recovery.rootFallback === 'blocked-by-scp') return `the root user of account ${facts.accountId}, once the SCP that blocks it is relaxed (no administrator can reset this credential)`;
  return `the root user of account ${facts.accountId} (no administrator can reset this credential)`;
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
 * Instantiates and merges the blocks' steps: filters by principal type, credential
 * kind and self-service; drops repeats (same step id on the same credential, or
 * the same principal-wide step); numbers the result.
 */
function assemble(blocks: readonly Block[], facts: PrincipalFacts, notes: string[], stepsOf: (b: Block) => readonly ProcedureStep[], fixedActor?: Actor): PlanStep[] {
  const steps: PlanStep[] = [];
  const seen = new Set<string>();
  for (const block of blocks) {
    for (const step of [...(block.before ?? []), ...stepsOf(block)]) {
      if (!applies(step, block, facts)) continue;
      const actor = actorOf(step, block, facts, fixedActor);
      if (facts.principal.type === 'root' && (actor === 'administrator' || actor === 'iam-user')) {
        // The root user answers to nobody inside the account: never send it to an administrator.
        notes.push(`Step '${step.id}' of ${block.procedure.id} is written for IAM users and was left out of this root plan.`);
        continue;
      }
      const templates = [step.text, ...(step.commands ?? [])];
      const principalWide = !mentionsCredential(templates);
      const identity = principalWide ? step.id : `${step.id}|${block.credential ?? ''}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      const caution = block.cautions.get(step.id);
      const condition = step.when !== undefined && blockRecovery(block, facts)?.selfService === undefined ? WHEN_PREFIX[step.when] : '';
      if (caution) notes.push(caution);
      steps.push({
        n: steps.length + 1,
        id: step.id,
        procedure: block.procedure.id,
        actor,
        credential: principalWide ? null : block.credential,
        text: fill(condition, block.vars) + (condition || startsWithName(step.text) ? fill(step.text, block.vars) : capitalise(fill(step.text, block.vars))),
        commands: (step.commands ?? []).map((c) => fillCommand(c, block.vars)),
        ...(caution ? { caution } : {}),
      });
    }
  }
  return steps;
}

function assembleAlternatives(blocks: readonly Block[], facts: PrincipalFacts, notes: string[]): PrincipalPlan['alternatives'] {
  const byTitle = new Map<string, { procedure: string; title: string; when: string; actor: Actor; blocks: Block[]; index: number }>();
  for (const block of blocks) {
    (block.procedure.alternatives ?? []).forEach((alt, index) => {
      const key = `${block.procedure.id}|${alt.title}`;
      const entry = byTitle.get(key) ?? { procedure: block.procedure.id, title: alt.title, when: alt.when, actor: alt.actor, blocks: [], index };
      entry.blocks.push({ ...block, before: [], cautions: new Map() });
      byTitle.set(key, entry);
    });
  }
  return [...byTitle.values()].map((entry) => ({
    procedure: entry.procedure,
    title: entry.title,
    when: entry.when,
    actor: entry.actor,
    steps: assemble(entry.blocks, facts, notes, (b) => b.procedure.alternatives?.[entry.index]?.steps ?? [], entry.actor),
  }));
}

function applies(step: ProcedureStep, block: Block, facts: PrincipalFacts): boolean {
  if (step.for !== undefined && step.for !== facts.principal.type) return false;
  const kind = kindOf(block.credential);
  if (step.only !== undefined && (kind === null ? block.procedure.id !== 'finish-access-key-rotation' : !step.only.includes(kind))) return false;
  if (step.when !== undefined) {
    const selfService = blockRecovery(block, facts)?.selfService;
    if (selfService !== undefined && (step.when === 'self-service') !== selfService) return false;
  }
  return true;
}

function actorOf(step: ProcedureStep, block: Block, facts: PrincipalFacts, fixedActor?: Actor): Actor {
  const actor = step.actor ?? fixedActor ?? block.procedure.actor;
  if (facts.principal.type !== 'user' || actor !== 'administrator') return actor;
  const recovery = blockRecovery(block, facts);
  // A user allowed to manage their own keys does the key work; a root-only path means root does it.
  if (recovery?.selfService === true && kindOf(block.credential) === 'access_key') return 'iam-user';
  if (recovery?.rootOnly === true || (recovery?.administrators?.length === 0 && recovery.selfService !== true)) {
    return recovery.rootFallback === 'privileged-root-task' ? 'management-account' : 'root';
  }
  return actor;
}

/**
 * Procedures whose self-service question is not the one the recovery analysis answers
 * (it covers resetting passwords and issuing keys, not registering MFA devices).
 */
const NOT_RECOVERY_QUESTIONS = new Set(['enable-user-mfa']);

function blockRecovery(block: Block, facts: PrincipalFacts): RecoveryFacts | undefined {
  return NOT_RECOVERY_QUESTIONS.has(block.procedure.id) ? undefined : recoveryFor(facts, kindOf(block.credential));
}

function recoveryFor(facts: PrincipalFacts, kind: ReturnType<typeof kindOf>): RecoveryFacts | undefined {
  return known(kind === 'password' ? facts.recovery.password : kind === 'access_key' ? facts.recovery.accessKeys : undefined);
}

/** Recovery facts the analysis could not decide count as not known at all. */
function known(recovery: RecoveryFacts | undefined): RecoveryFacts | undefined {
  return recovery?.unknown === true ? undefined : recovery;
}

function kindOf(credential: Credential): 'password' | 'access_key' | 'certificate' | null {
  if (credential === null) return null;
  if (credential === 'password') return 'password';
  return credential.startsWith('access_key') ? 'access_key' : 'certificate';
}

function goals(d: Decisions, blocks: readonly Block[], facts: PrincipalFacts): string[] {
  const lines: string[] = [];
  for (const [slot, action] of [...d.keys.entries()].sort(([a], [b]) => a - b)) {
    const key = facts.keys[slot - 1]!;
    if (action.kind === 'rotate') lines.push(`Rotate access key ${slot} (${key.ageDays === null ? 'too old' : `${formatDays(key.ageDays)} old`}).`);
    else if (action.kind === 'delete-inactive') lines.push(`Delete inactive access key ${slot}${action.freesFor ? ` to free a slot for rotating access key ${action.freesFor}` : ''}.`);
    else if (action.kind === 'retire-move') lines.push(`Retire access key ${slot} (${action.why}) and move its consumers to access key ${action.moveTo}${action.freesFor ? `, freeing a slot for rotating access key ${action.freesFor}` : ''}.`);
    else lines.push(`Retire access key ${slot} (${action.why})${action.freesFor ? `, freeing a slot for rotating access key ${action.freesFor}` : ''}.`);
  }
  if (d.undecidedRotation) lines.push('Finish the rotation left half-done: retire one of the two active access keys.');
  for (const block of blocks) {
    if (block.credential !== null && slotOf(block.credential) !== null && block.credential.startsWith('access_key')) continue;
    if (block.procedure.id === 'finish-access-key-rotation') continue;
    lines.push(block.credential === 'password' && d.removePassword && block.procedure.id === 'disable-unused-credential' ? 'Remove the unused console password.' : `${block.procedure.title}.`);
  }
  return unique(lines);
}

/** A sentence that starts with a user name keeps the name's case ('carol', not 'Carol'). */
function startsWithName(template: string): boolean {
  return /^\{(user|arn|soleAdmin)\}/.test(template);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function uniqueLinks(links: readonly ProcedureLink[]): ProcedureLink[] {
  const seen = new Set<string>();
  return links.filter((l) => !seen.has(l.url) && seen.add(l.url));
}
