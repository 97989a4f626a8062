import type { Credential } from '../../model/index.js';
import type { Decisions, KeyAction } from './decide.js';
import type { PrincipalFacts, RecoveryFacts } from './facts.js';
import { describeLastUse, formatDays, keyIdPlaceholder, placeholder, templateVars, type Placeholder } from './template.js';
import type { Catalogue, Caution, CredentialKind, Procedure } from './types.js';
import { localeOrder } from '../util/order.js';

/** A key used this recently gets a "find its consumers first" caution. */
export const RECENT_USE_DAYS = 30;

/**
 * A procedure instantiated for one credential (or the whole principal): what the
 * assembler turns into numbered steps.
 */
export interface Block {
  phase: number;
  procedure: Procedure;
  credential: Credential;
  /** The credential kind steps are filtered by (`only`); access_key for a rotation whose key is not decided yet. */
  kind: CredentialKind | null;
  vars: Record<string, string | Placeholder>;
  /** Safety notes that hold for this credential; a step shows those it declares. */
  cautions: Map<Caution, string>;
  /** The facts cannot say which key to retire: choose-key steps apply. */
  undecidedKey: boolean;
  /** What the block achieves, for the plan's goals; null when a key decision already says it, or without words (Decisions.words). */
  goal: string | null;
  /** A retirement that frees the slot a rotation needs: it goes before the rotation. */
  freesSlot: boolean;
}

/** Turns the decisions into blocks, in plan order: phase, slot-freeing first, credential, procedure id. */
export function buildBlocks(facts: PrincipalFacts, d: Decisions, catalogue: Catalogue): Block[] {
  const blocks: Block[] = [];
  // Only a plan's text reads the template values: made once, when a block's are first read.
  let base: Record<string, string> | undefined;
  const baseVars = (): Record<string, string> => (base ??= baseTemplateVars(facts, d));
  let rotationPhase = Number.POSITIVE_INFINITY;
  for (const action of d.keys.values()) if (action.kind === 'rotate') rotationPhase = Math.min(rotationPhase, action.procedure.phase);

  // Slot 1, then slot 2 (the keys of d.keys).
  for (const slot of KEY_SLOTS) {
    const action = d.keys.get(slot);
    if (action === undefined) continue;
    const credential = slot === 1 ? 'access_key_1' : 'access_key_2';
    const freesSlot = action.freesFor !== undefined;
    blocks.push(
      lazyBlock(
        {
          phase: freesSlot ? Math.min(action.procedure.phase, rotationPhase) : action.procedure.phase,
          procedure: action.procedure,
          credential,
          kind: 'access_key',
          undecidedKey: false,
          goal: null,
          freesSlot,
        },
        d.words
          ? () => {
              const extra: Record<string, string | Placeholder> = { ...baseVars() };
              if (action.moveTo !== undefined) extra.otherSlot = String(action.moveTo);
              return templateVars(facts, credential, extra);
            }
          : noText,
        d.words ? () => new Map([...principalCautions(facts), ...keyCautions(facts, slot, action)]) : noText,
      ),
    );
  }
  if (d.undecidedRotation) blocks.push(undecidedRotationBlock(facts, d.undecidedRotation, baseVars));
  if (d.removePassword) for (const block of passwordRemoval(facts, d, catalogue, baseVars)) blocks.push(block);
  for (const block of standaloneBlocks(facts, d, catalogue, baseVars)) blocks.push(block);
  return blocks.length < 2 ? blocks : blocks.sort(compareBlocks);
}

const KEY_SLOTS = [1, 2] as const;

/** Plan order: phase, slot-freeing first, credential, procedure id. */
function compareBlocks(a: Block, b: Block): number {
  return (
    a.phase - b.phase ||
    Number(b.freesSlot) - Number(a.freesSlot) ||
    localeOrder(a.credential ?? '', b.credential ?? '') ||
    localeOrder(a.procedure.id, b.procedure.id)
  );
}

/** The template values every block of the principal shares: its key ids (or their placeholders) and who resets its keys. */
function baseTemplateVars(facts: PrincipalFacts, d: Decisions): Record<string, string> {
  const keyIdPlaceholders =
    [...d.keys.keys()]
      .sort()
      .map((slot) => facts.keys[slot - 1]!.id ?? keyIdPlaceholder(slot))
      .join(' and ') || keyIdPlaceholder(1);
  return { keyIdPlaceholders, admin: adminPhrase(facts, 'accessKeys') };
}

/**
 * A block whose template values and cautions are worked out when first read: a plan's outline
 * (procedures, targets, resolutions) reads neither, only its text does. A class, not an object
 * literal with getters: such a literal is built by the slow path for every block of every
 * principal, while instances of a class share one shape. The block's own fields are its plain
 * ones, so a copy (`{ ...block }`) must read `vars` and `cautions` itself.
 */
class LazyBlock implements Block {
  readonly phase: number;
  readonly procedure: Block['procedure'];
  readonly credential: Credential;
  readonly kind: CredentialKind | null;
  readonly undecidedKey: boolean;
  readonly goal: string | null;
  readonly freesSlot: boolean;
  #vars: Record<string, string | Placeholder> | undefined;
  #cautions: Map<Caution, string> | undefined;
  readonly #makeVars: () => Record<string, string | Placeholder>;
  readonly #makeCautions: () => Map<Caution, string>;

  constructor(
    fields: Omit<Block, 'vars' | 'cautions'>,
    vars: () => Record<string, string | Placeholder>,
    cautions: () => Map<Caution, string>,
  ) {
    this.phase = fields.phase;
    this.procedure = fields.procedure;
    this.credential = fields.credential;
    this.kind = fields.kind;
    this.undecidedKey = fields.undecidedKey;
    this.goal = fields.goal;
    this.freesSlot = fields.freesSlot;
    this.#makeVars = vars;
    this.#makeCautions = cautions;
  }

  get vars(): Record<string, string | Placeholder> {
    return (this.#vars ??= this.#makeVars());
  }

  get cautions(): Map<Caution, string> {
    return (this.#cautions ??= this.#makeCautions());
  }
}

/**
 * The template values and cautions of a block decided without words (Decisions.words): a plan's
 * outline reads neither, so the most frequent blocks (keys, standalone procedures) make no
 * closure for them.
 */
const noText = (): never => {
  throw new Error('a block decided without words has no text: decide with words to make the plan');
};

function lazyBlock(
  fields: Omit<Block, 'vars' | 'cautions'>,
  vars: () => Record<string, string | Placeholder>,
  cautions: () => Map<Caution, string>,
): Block {
  return new LazyBlock(fields, vars, cautions);
}

/** The block that removes the console password: the procedure of the finding that asked for it. */
function passwordRemoval(facts: PrincipalFacts, d: Decisions, catalogue: Catalogue, base: () => Record<string, string>): Block[] {
  const finding = [...d.resolutions.keys()].find(
    (f) => f.credential === 'password' && catalogue.get(f.remediation.procedure)?.handles.includes('remove-password'),
  );
  const procedure = finding && catalogue.get(finding.remediation.procedure);
  if (!procedure) return [];
  return [
    lazyBlock(
      {
        phase: procedure.phase,
        procedure,
        credential: 'password',
        kind: 'password',
        undecidedKey: false,
        goal: 'Remove the unused console password.',
        freesSlot: false,
      },
      () => templateVars(facts, 'password', { ...base(), admin: adminPhrase(facts, 'password') }),
      () => principalCautions(facts),
    ),
  ];
}

function standaloneBlocks(facts: PrincipalFacts, d: Decisions, catalogue: Catalogue, base: () => Record<string, string>): Block[] {
  const blocks: Block[] = [];
  const seen = new Set<string>();
  for (const f of d.standalone) {
    const id = `${f.remediation.procedure}|${f.credential ?? ''}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const procedure = catalogue.get(f.remediation.procedure)!;
    if (!procedure.appliesTo.includes(facts.principal.type)) {
      // E.g. a root-only procedure on an IAM user: never hand an IAM user the root password flow.
      const who = facts.principal.type === 'root' ? 'the root user' : 'IAM users';
      if (d.words)
        d.notes.push(`Rule ${f.ruleId} names procedure ${procedure.id}, which is not written for ${who}; it is left out of this plan.`);
      d.resolutions.set(f, d.words ? `No plan: procedure ${procedure.id} does not apply to ${who}.` : '');
      continue;
    }
    const kind = kindOf(f.credential);
    blocks.push(
      lazyBlock(
        {
          phase: procedure.phase,
          procedure,
          credential: f.credential,
          kind,
          undecidedKey: false,
          // Only the plan's text reads the goals (see Decisions.words).
          goal: d.words ? `${procedure.title}.` : null,
          freesSlot: false,
        },
        d.words
          ? () =>
              templateVars(facts, f.credential, { ...base(), admin: adminPhrase(facts, kind === 'password' ? 'password' : 'accessKeys') })
          : noText,
        d.words ? () => principalCautions(facts) : noText,
      ),
    );
  }
  return blocks;
}

/** Finishing a rotation when the facts cannot say which key should go: the engineer chooses. */
function undecidedRotationBlock(facts: PrincipalFacts, procedure: Procedure, base: () => Record<string, string>): Block {
  return lazyBlock(
    { phase: procedure.phase, procedure, credential: null, kind: 'access_key', undecidedKey: true, goal: null, freesSlot: false },
    () =>
      templateVars(facts, null, {
        ...base(),
        slot: 'X (the one to retire)',
        otherSlot: 'Y (the one to keep)',
        keyId: placeholder('ACCESS_KEY_ID_TO_RETIRE'),
        otherKeyId: placeholder('ACCESS_KEY_ID_TO_KEEP'),
        keyIdPlaceholders: '<ACCESS_KEY_ID_1> and <ACCESS_KEY_ID_2>',
      }),
    () => principalCautions(facts),
  );
}

/** Safety notes for removing or replacing one key, by the caution a step declares. */
function keyCautions(facts: PrincipalFacts, slot: 1 | 2, action: KeyAction): Map<Caution, string> {
  const cautions = new Map<Caution, string>();
  const key = facts.keys[slot - 1]!;
  if (action.kind === 'delete-inactive') {
    cautions.set(
      'already-inactive',
      `Access key ${slot} is already inactive; if anything failed since it was deactivated, reactivate it and move that consumer first.`,
    );
  } else if (key.lastUsedDaysAgo !== null && key.lastUsedDaysAgo <= RECENT_USE_DAYS) {
    cautions.set('recently-used', `Access key ${slot} was used ${describeLastUse(key)}: find its consumers before deactivating it.`);
  } else if (key.lastUsedKnown && key.lastUsed === null) {
    cautions.set(
      'never-used',
      `Access key ${slot} was never used, so deactivating it should break nothing; it stays reversible until it is deleted.`,
    );
  } else if (key.lastUsed === null) {
    cautions.set(
      'last-use-unknown',
      `The last use of access key ${slot} is not known here: check it (get-access-key-last-used) before deactivating.`,
    );
  }
  return cautions;
}

/** Cautions about the principal as a whole; a step shows one only if it declares it. */
function principalCautions(facts: PrincipalFacts): Map<Caution, string> {
  const cautions = new Map<Caution, string>();
  if (facts.principal.type !== 'user') return cautions;
  const blocked = passwordChangeBlocked(facts);
  if (blocked) cautions.set('password-change-blocked', blocked);
  if (known(facts.recovery.mfa)?.requiredByPolicies === true) {
    cautions.set(
      'mfa-required-by-policy',
      `${facts.principal.name}'s policies deny most actions without MFA: a new password alone does not let them work, they also need a working MFA device (if it is lost, an administrator deactivates it first).`,
    );
  }
  const active = facts.keys.filter((k) => k.active === true).map((k) => k.slot);
  if (active.length > 0) {
    cautions.set(
      'has-active-access-key',
      `${facts.principal.name} has active access key ${active.join(' and ')}: a policy that denies access without MFA also denies every call signed with it.`,
    );
  }
  return cautions;
}

/**
 * A forced password reset (--password-reset-required) locks out a user who may not call
 * iam:ChangePassword: say so when the recovery analysis knows it, or cannot tell.
 */
function passwordChangeBlocked(facts: PrincipalFacts): string | undefined {
  const password = known(facts.recovery.password);
  const allowed = password?.changePasswordAllowed ?? password?.selfServiceVia?.includes('change-password');
  if (allowed === true) return undefined;
  return allowed === undefined
    ? `Whether ${facts.principal.name} may call iam:ChangePassword is not known here: without it, a password that must be changed at the next sign-in locks the user out.`
    : `${facts.principal.name} may not call iam:ChangePassword: a password that must be changed at the next sign-in would lock the user out.`;
}

/** Who can reset a credential of the principal, in words, for `{{admin}}`. */
function adminPhrase(facts: PrincipalFacts, kind: 'password' | 'accessKeys'): string {
  if (facts.principal.type === 'root') return 'the root user';
  const recovery = known(facts.recovery[kind]);
  if (!recovery) return 'an administrator';
  const admins = recovery.administrators ?? [];
  if (admins.length > 0) return admins.length === 1 ? `an administrator (${admins[0]})` : `an administrator (one of ${admins.join(', ')})`;
  // An sts:AssumeRoot session cannot manage IAM users: without an administrator, only root itself can,
  // and with centralized root access root may first need its password back (IAMCreateRootUserPassword).
  // 'privileged-root-task' is how results written before the AssumeRoot fix named it.
  if (recovery.rootFallback === 'after-root-password-recovery' || recovery.rootFallback === 'privileged-root-task') {
    return `the root user of account ${facts.accountId}, once the management account has allowed root password recovery with the IAMCreateRootUserPassword privileged task (no administrator can reset this credential)`;
  }
  if (recovery.rootFallback === 'blocked-by-scp')
    return `the root user of account ${facts.accountId}, once the SCP that blocks it is relaxed (no administrator can reset this credential)`;
  return `the root user of account ${facts.accountId} (no administrator can reset this credential)`;
}

/** Recovery facts the analysis could not decide count as not known at all. */
export function known(recovery: RecoveryFacts | undefined): RecoveryFacts | undefined {
  return recovery?.unknown === true ? undefined : recovery;
}

/** The kind of a credential: password, access_key, certificate, or null for the whole principal. */
export function kindOf(credential: Credential): CredentialKind | null {
  if (credential === null) return null;
  if (credential === 'password') return 'password';
  return credential.startsWith('access_key') ? 'access_key' : 'certificate';
}

/** The plan's goals: one line per key decision, then one per other block. */
export function goals(d: Decisions, blocks: readonly Block[], facts: PrincipalFacts): string[] {
  const lines: string[] = [];
  for (const [slot, action] of [...d.keys.entries()].sort(([a], [b]) => a - b)) {
    const key = facts.keys[slot - 1]!;
    const frees = action.freesFor ? `, freeing a slot for rotating access key ${action.freesFor}` : '';
    if (action.kind === 'quarantine')
      lines.push(
        `Contain access key ${slot} (suspected of compromise): deactivate it now, quarantine ${facts.principal.name}, review what the key did, then delete it.`,
      );
    else if (action.kind === 'rotate')
      lines.push(`Rotate access key ${slot} (${key.ageDays === null ? 'too old' : `${formatDays(key.ageDays)} old`}).`);
    else if (action.kind === 'delete-inactive')
      lines.push(
        `Delete inactive access key ${slot}${action.freesFor ? ` to free a slot for rotating access key ${action.freesFor}` : ''}.`,
      );
    else if (action.kind === 'retire-move')
      lines.push(`Retire access key ${slot} (${action.why}) and move its consumers to access key ${action.moveTo}${frees}.`);
    else lines.push(`Retire access key ${slot} (${action.why})${frees}.`);
  }
  if (d.undecidedRotation) lines.push('Finish the rotation left half-done: retire one of the two active access keys.');
  for (const block of blocks) if (block.goal !== null) lines.push(block.goal);
  return [...new Set(lines)];
}
