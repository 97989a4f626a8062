import { kindOf, known, type Block } from './blocks.js';
import type { PrincipalFacts, RecoveryFacts } from './facts.js';
import { fill, fillCommand, mentionsCredential } from './template.js';
import type { Actor, PlanStep, PrincipalPlan, ProcedureStep } from './types.js';

/** Says which of two variants applies when it is not known whether the user may do it themself. */
const WHEN_PREFIX = {
  'self-service': 'If {{user}} may manage this credential themself: ',
  administrator: 'If {{user}} may not: ',
} as const;

/** A block with the steps to take from it (its own steps, or those of one of its alternatives). */
export interface BlockSteps {
  block: Block;
  steps: readonly ProcedureStep[];
}

/**
 * Instantiates and merges steps: filters by principal type, credential kind, role and
 * self-service; drops repeats (same step id on the same credential, or the same
 * principal-wide step); numbers the result. Cautions a step declares are attached when
 * the facts call for them, and collected in `notes`.
 */
export function assemble(parts: readonly BlockSteps[], facts: PrincipalFacts, notes: string[], fixedActor?: Actor): PlanStep[] {
  const steps: PlanStep[] = [];
  const seen = new Set<string>();
  for (const { block, steps: candidates } of parts) {
    for (const step of candidates) {
      if (!applies(step, block, facts)) continue;
      const actor = actorOf(step, block, facts, fixedActor);
      const rootsOwn = facts.principal.type === 'root' && block.procedure.scope !== 'account';
      if (rootsOwn && (actor === 'administrator' || actor === 'iam-user')) {
        // The root user answers to nobody inside the account: never send its own credentials to an administrator.
        // An account-wide setting (scope: account) sits on the root row only as the account's anchor.
        notes.push(`Step '${step.id}' of ${block.procedure.id} is written for IAM users and was left out of this root plan.`);
        continue;
      }
      const principalWide = !mentionsCredential([step.text, ...(step.commands ?? [])]);
      const identity = principalWide ? step.id : `${step.id}|${block.credential ?? ''}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      const caution = cautionOf(step, block);
      if (caution) notes.push(caution);
      steps.push({
        n: steps.length + 1,
        id: step.id,
        procedure: block.procedure.id,
        actor,
        credential: principalWide ? null : block.credential,
        text: stepText(step, block, facts),
        commands: (step.commands ?? []).map((c) => fillCommand(c, block.vars)),
        ...(caution ? { caution } : {}),
      });
    }
  }
  return steps;
}

/**
 * The alternatives of every block. Alternatives that open the same privileged session
 * (the same assume-root step) are merged into one: a single session does all their work,
 * so a root plan never shows the same session twice.
 */
export function assembleAlternatives(blocks: readonly Block[], facts: PrincipalFacts, notes: string[]): PrincipalPlan['alternatives'] {
  const groups = new Map<string, { procedure: string; titles: string[]; when: string; actor: Actor; parts: BlockSteps[] }>();
  const sessionStepIds = new Set<string>();
  for (const block of blocks) {
    for (const alt of block.procedure.alternatives ?? []) {
      const session = alt.steps.find((s) => s.role === 'assume-root')?.id;
      if (session !== undefined) sessionStepIds.add(session);
      const key = session ?? `${block.procedure.id}|${alt.title}`;
      const group = groups.get(key) ?? { procedure: block.procedure.id, titles: [], when: alt.when, actor: alt.actor, parts: [] };
      if (!group.titles.includes(alt.title)) group.titles.push(alt.title);
      group.parts.push({ block: { ...block, vars: block.vars, cautions: new Map() }, steps: alt.steps });
      groups.set(key, group);
    }
  }
  return (
    [...groups.values()]
      .map((g) => ({
        procedure: g.procedure,
        title: g.titles.join('; '),
        when: g.when,
        actor: g.actor,
        steps: assemble(g.parts, facts, notes, g.actor),
      }))
      // An alternative that only opens a session (its work is for another principal type) is no alternative.
      .filter((alt) => alt.steps.some((s) => !sessionStepIds.has(s.id)))
  );
}

/**
 * Whether any step of the block applies to the principal. A block without one (e.g. a
 * key procedure named by a rule about the whole principal) would silently do nothing.
 */
export function hasApplicableStep(block: Block, facts: PrincipalFacts): boolean {
  return block.procedure.steps.some((step) => applies(step, block, facts));
}

function stepText(step: ProcedureStep, block: Block, facts: PrincipalFacts): string {
  const condition = step.when !== undefined && blockRecovery(block, facts)?.selfService === undefined ? WHEN_PREFIX[step.when] : '';
  const text = fill(step.text, block.vars);
  if (condition) return fill(condition, block.vars) + text;
  // A sentence that starts with a user name keeps the name's case ('carol', not 'Carol').
  return /^\{\{\s*(user|arn|soleAdmin)\s*\}\}/.test(step.text) ? text : text.charAt(0).toUpperCase() + text.slice(1);
}

/** The first caution the step declares that holds for the block. */
function cautionOf(step: ProcedureStep, block: Block): string | undefined {
  for (const name of step.cautions ?? []) {
    const text = block.cautions.get(name);
    if (text !== undefined) return text;
  }
  return undefined;
}

function applies(step: ProcedureStep, block: Block, facts: PrincipalFacts): boolean {
  if (step.for !== undefined && step.for !== facts.principal.type) return false;
  if (step.only !== undefined && (block.kind === null || !step.only.includes(block.kind))) return false;
  if (step.role === 'choose-key' && !block.undecidedKey) return false;
  if (step.role === 'resolve-ids' && keyIdsKnown(block, facts)) return false;
  // A prerequisite is needed only when one of the cautions it answers holds.
  if (step.role === 'prerequisite' && step.cautions !== undefined && cautionOf(step, block) === undefined) return false;
  if (step.when !== undefined) {
    const selfService = blockRecovery(block, facts)?.selfService;
    if (selfService !== undefined && (step.when === 'self-service') !== selfService) return false;
  }
  return true;
}

/** Every key id the block's commands need is known (a live scan resolved it): no lookup step. */
function keyIdsKnown(block: Block, facts: PrincipalFacts): boolean {
  if (block.kind !== 'access_key' || facts.principal.type !== 'user') return false;
  const slot = block.credential === 'access_key_1' ? 1 : block.credential === 'access_key_2' ? 2 : null;
  return slot === null ? facts.keys.every((k) => k.id !== null) : facts.keys[slot - 1]!.id !== null;
}

function actorOf(step: ProcedureStep, block: Block, facts: PrincipalFacts, fixedActor?: Actor): Actor {
  const actor = step.actor ?? fixedActor ?? block.procedure.actor;
  if (facts.principal.type !== 'user' || actor !== 'administrator') return actor;
  const recovery = blockRecovery(block, facts);
  // A user allowed to manage their own keys does the key work.
  if (recovery?.selfService === true && block.kind === 'access_key') return 'iam-user';
  // Nobody else can: only the root user of the account (an sts:AssumeRoot session cannot manage IAM users).
  if (recovery?.rootOnly === true || (recovery?.administrators?.length === 0 && recovery.selfService !== true)) return 'root';
  return actor;
}

/** The recovery facts that answer "may the user do this themself?" for the block's procedure. */
function blockRecovery(block: Block, facts: PrincipalFacts): RecoveryFacts | undefined {
  const dimension = block.procedure.selfService ?? dimensionOf(block.kind);
  if (dimension === 'none') return undefined;
  return known((facts.recovery as Record<string, RecoveryFacts | undefined>)[dimension]);
}

function dimensionOf(kind: ReturnType<typeof kindOf>): 'password' | 'accessKeys' | 'none' {
  return kind === 'password' ? 'password' : kind === 'access_key' ? 'accessKeys' : 'none';
}
