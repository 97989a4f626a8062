import type { Finding } from '../../model/index.js';
import { procedureFor } from './catalogue.js';
import type { PrincipalFacts, SlotFacts } from './facts.js';
import { slotOf } from './facts.js';
import { describeLastUse, formatDays } from './template.js';
import type { Catalogue, CredentialAction, Procedure } from './types.js';

/** Days without use after which a key counts as unused when choosing which key to retire. */
export const UNUSED_DAYS = 45;

/** What happens to one access key slot. */
export interface KeyAction {
  kind: 'quarantine' | 'retire' | 'delete-inactive' | 'retire-move' | 'rotate';
  /** Catalogue procedure whose steps carry it out. */
  procedure: Procedure;
  /** Why, in a few words, e.g. "never used". */
  why: string;
  /** retire-move: the slot whose key takes over the consumers. */
  moveTo?: 1 | 2;
  /** This retirement frees the slot a rotation of `freesFor` needs. */
  freesFor?: 1 | 2;
}

/** The decisions for one principal: one action per key slot, and how each finding is resolved. */
export interface Decisions {
  keys: Map<1 | 2, KeyAction>;
  /** A procedure that finishes a rotation, when the facts cannot say which key it retires. */
  undecidedRotation: Procedure | null;
  removePassword: boolean;
  resolutions: Map<Finding, string>;
  /** Findings whose procedure is carried out as a block of its own (MFA, certificates, ...). */
  standalone: Finding[];
  notes: string[];
  /**
   * Whether the sentences were made: resolutions, notes and reasons (`why`). Only a plan's text
   * reads them; without them each resolution is '' and no note is added, and every decision is
   * the same.
   */
  words: boolean;
}

const isKey = (f: Finding): boolean => f.credential === 'access_key_1' || f.credential === 'access_key_2';

/** Whether a key looks unused (never used, or idle for longer than UNUSED_DAYS), and why in words ('unused' without words). */
function looksUnused(key: SlotFacts, words = true): string | null {
  if (key.active === false) return 'inactive';
  if (key.lastUsedKnown && key.lastUsed === null) return 'never used';
  if (key.lastUsedDaysAgo !== null && key.lastUsedDaysAgo > UNUSED_DAYS)
    return words ? `unused for ${formatDays(key.lastUsedDaysAgo)}` : 'unused';
  return null;
}

function age(key: SlotFacts): string {
  return key.ageDays === null ? 'age unknown' : `${formatDays(key.ageDays)} old`;
}

/**
 * Decides, for one principal, what happens to each credential so that several
 * findings become one consistent plan: a key suspected of compromise is contained
 * first; a key is either retired or rotated, never both; a rotation with both slots
 * full frees a slot first; a removed credential resolves the findings that only
 * protected it. Reads what the procedures declare (`handles`, `resolvedByRemoval`),
 * never their ids. Without `words` (a plan's outline), the same decisions without sentences.
 */
export function decide(
  findings: readonly Finding[],
  facts: PrincipalFacts,
  catalogue: Catalogue,
  options: { words?: boolean } = {},
): Decisions {
  const words = options.words !== false;
  const d: Decisions = {
    keys: new Map(),
    undecidedRotation: null,
    removePassword: false,
    resolutions: new Map(),
    standalone: [],
    notes: [],
    words,
  };
  const context: DecideContext = {
    d,
    facts,
    catalogue,
    pick: (action, preferred) => procedureFor(catalogue, action, facts.principal.type, preferred),
  };
  const handles = (f: Finding, action: CredentialAction): boolean =>
    catalogue.get(f.remediation.procedure)?.handles.includes(action) === true;

  // Each step reads the findings in order: plain indexed loops, no list, closure or iterator per
  // finding (this runs for every planned principal).
  const n = findings.length;
  // 1. Keys suspected of compromise: contained now, never left to a week of watching.
  for (let i = 0; i < n; i++) if (isKey(findings[i]!) && handles(findings[i]!, 'quarantine-key')) quarantine(context, findings[i]!);
  // 2. Keys that go away outright.
  for (let i = 0; i < n; i++) {
    const f = findings[i]!;
    if (isKey(f) && (handles(f, 'retire-key') || handles(f, 'delete-inactive-key'))) retire(context, f);
  }
  // 3. A rotation left half-done: retire one of the two keys.
  for (let i = 0; i < n; i++) if (handles(findings[i]!, 'finish-key-rotation')) finishRotation(context, findings[i]!);
  // 4. Rotations.
  for (let i = 0; i < n; i++) if (isKey(findings[i]!) && handles(findings[i]!, 'rotate-key')) rotate(context, findings[i]!);
  // 5. Passwords that go away.
  for (let i = 0; i < n; i++) {
    const f = findings[i]!;
    if (f.credential !== 'password' || !handles(f, 'remove-password')) continue;
    d.removePassword = true;
    d.resolutions.set(f, words ? 'Remove the console password (unused).' : '');
  }
  // 6. Everything else: resolved by a removal above, or a block of its own.
  for (let i = 0; i < n; i++) {
    const f = findings[i]!;
    if (d.resolutions.has(f)) continue;
    const reason = catalogue.get(f.remediation.procedure)?.resolvedByRemoval;
    const removal = reason === undefined ? null : removalOf(d, f.credential);
    if (removal !== null) d.resolutions.set(f, words ? `Resolved by removing ${removal}: ${reason}.` : '');
    else d.standalone.push(f);
  }
  return d;
}

/** What the decide steps share. */
interface DecideContext {
  d: Decisions;
  facts: PrincipalFacts;
  catalogue: Catalogue;
  /** The procedure that carries out an action for this principal, preferring the finding's own. */
  pick: (action: CredentialAction, preferred?: string) => Procedure | undefined;
}

/** What the plan removes of `credential`, in words, or null when it keeps it. */
function removalOf(d: Decisions, credential: Finding['credential']): string | null {
  if (credential === 'password') return d.removePassword ? 'the console password' : null;
  const slot = slotOf(credential);
  if (slot === null || !(credential ?? '').startsWith('access_key')) return null;
  const action = d.keys.get(slot);
  return action !== undefined && action.kind !== 'rotate' ? `access key ${slot}` : null;
}

function quarantine({ d, pick }: DecideContext, f: Finding): void {
  const slot = slotOf(f.credential)!;
  const procedure = pick('quarantine-key', f.remediation.procedure);
  if (!procedure || d.keys.has(slot)) return;
  d.keys.set(slot, { kind: 'quarantine', procedure, why: 'suspected of compromise' });
  d.resolutions.set(
    f,
    d.words
      ? `Contain access key ${slot} now (suspected of compromise): deactivate it, quarantine the user, then review what the key did.`
      : '',
  );
}

function retire({ d, facts, catalogue, pick }: DecideContext, f: Finding): void {
  const slot = slotOf(f.credential)!;
  const key = facts.keys[slot - 1]!;
  const existing = d.keys.get(slot);
  // An inactive key only needs deleting, whatever the rule's procedure: no deactivation step.
  const inactive = key.active === false || catalogue.get(f.remediation.procedure)?.handles.includes('delete-inactive-key') === true;
  const procedure = inactive ? pick('delete-inactive-key', f.remediation.procedure) : pick('retire-key', f.remediation.procedure);
  const why = d.words
    ? (looksUnused(key) ?? (facts.principal.type === 'root' ? 'the root user should have no access keys' : 'no longer needed'))
    : '';
  if (existing?.kind === 'quarantine') {
    d.resolutions.set(
      f,
      d.words ? `Resolved by containing access key ${slot} (suspected of compromise), which ends with its deletion.` : '',
    );
    return;
  }
  if (!procedure) return;
  if (!existing) d.keys.set(slot, { kind: inactive ? 'delete-inactive' : 'retire', procedure, why });
  d.resolutions.set(f, d.words ? `${inactive ? 'Delete' : 'Retire'} access key ${slot} (${why}).` : '');
}

function finishRotation({ d, facts, pick }: DecideContext, f: Finding): void {
  const already = [...d.keys.entries()].find(([, a]) => a.kind !== 'rotate');
  if (already) {
    d.resolutions.set(
      f,
      d.words ? `Finished by retiring access key ${already[0]} (${already[1].why}); access key ${3 - already[0]} stays.` : '',
    );
    return;
  }
  const procedure = pick('finish-key-rotation', f.remediation.procedure);
  if (!procedure) return;
  const choice = chooseKeyToRetire(facts, d.words);
  if (!choice) {
    d.undecidedRotation = procedure;
    d.resolutions.set(f, d.words ? 'Finish the rotation: compare both keys, retire the unused or older one.' : '');
    return;
  }
  const keep = (3 - choice.slot) as 1 | 2;
  d.keys.set(choice.slot, { kind: 'retire-move', procedure, why: choice.why, moveTo: keep });
  d.resolutions.set(f, d.words ? `Finish the rotation: retire access key ${choice.slot} (${choice.why}) and keep access key ${keep}.` : '');
}

/** The key to retire when both slots are full: the unused one, else the older one (why in words, '' without). */
export function chooseKeyToRetire(facts: PrincipalFacts, words = true): { slot: 1 | 2; why: string } | null {
  const [k1, k2] = facts.keys;
  const unused1 = looksUnused(k1, words);
  const unused2 = looksUnused(k2, words);
  if (unused1 && !unused2) return { slot: 1, why: words ? `${unused1}, while access key 2 was used ${describeLastUse(k2)}` : '' };
  if (unused2 && !unused1) return { slot: 2, why: words ? `${unused2}, while access key 1 was used ${describeLastUse(k1)}` : '' };
  if (k1.ageDays !== null && k2.ageDays !== null && k1.ageDays !== k2.ageDays) {
    const older = k1.ageDays > k2.ageDays ? k1 : k2;
    const newer = older === k1 ? k2 : k1;
    return { slot: older.slot, why: words ? `the older key: ${age(older)}, access key ${newer.slot} is ${age(newer)}` : '' };
  }
  return null;
}

function rotate({ d, facts, pick }: DecideContext, f: Finding): void {
  const words = d.words;
  const slot = slotOf(f.credential)!;
  const own = d.keys.get(slot);
  const rotation = pick('rotate-key', f.remediation.procedure);
  if (own?.kind === 'quarantine') {
    d.resolutions.set(
      f,
      words
        ? `Access key ${slot} is contained as suspected of compromise and deleted, not rotated: issue a replacement only once the review is done.`
        : '',
    );
    return;
  }
  if (own) {
    const instead = own.kind === 'retire-move' ? `its consumers move to access key ${own.moveTo}` : 'no replacement is needed';
    d.resolutions.set(f, words ? `Access key ${slot} is retired instead of rotated (${own.why}); ${instead}.` : '');
    return;
  }
  const key = facts.keys[slot - 1]!;
  const otherSlot = (3 - slot) as 1 | 2;
  const other = facts.keys[otherSlot - 1]!;
  const otherAction = d.keys.get(otherSlot);
  const rotateWhy = words ? `${age(key)}, last used ${describeLastUse(key)}` : '';
  if (!rotation) return;
  if (d.undecidedRotation) {
    // Both slots are full and the facts cannot say which key goes: finishing the rotation decides.
    d.resolutions.set(
      f,
      words
        ? `Both slots are full, so access key ${slot} is not replaced by a third key: finishing the rotation retires the unused or older key. If access key ${slot} is the one that stays, rotate it afterwards into the freed slot.`
        : '',
    );
    if (words)
      d.notes.push(
        `Access key ${slot} of ${facts.principal.name} is ${age(key)} and was last used ${describeLastUse(key)}; weigh that when choosing which key to retire.`,
      );
    return;
  }
  if (otherAction) {
    otherAction.freesFor = slot;
    d.keys.set(slot, { kind: 'rotate', procedure: rotation, why: rotateWhy });
    d.resolutions.set(f, words ? `Rotate access key ${slot} into the slot freed by retiring access key ${otherSlot} first.` : '');
    if (words)
      d.notes.push(
        `Both access key slots of ${facts.principal.name} are full: access key ${otherSlot} is retired first (${otherAction.why}), which frees the slot the replacement for access key ${slot} needs.`,
      );
    return;
  }
  if (other.present !== true) {
    d.keys.set(slot, { kind: 'rotate', procedure: rotation, why: rotateWhy });
    d.resolutions.set(f, words ? `Rotate access key ${slot} (${rotateWhy}).` : '');
    if (words && other.present === null)
      d.notes.push(
        `Whether access key ${otherSlot} of ${facts.principal.name} exists is not known here: if list-access-keys shows two keys, free a slot before creating the replacement.`,
      );
    return;
  }
  const otherUnused = looksUnused(other, words);
  const otherIsOlder = other.ageDays !== null && key.ageDays !== null && other.ageDays > key.ageDays;
  if (otherUnused || otherIsOlder) {
    const why = words ? (otherUnused ?? `the older key: ${age(other)}`) : '';
    const kind = other.active === false ? 'delete-inactive' : otherUnused ? 'retire' : 'retire-move';
    const action = kind === 'delete-inactive' ? 'delete-inactive-key' : kind === 'retire' ? 'retire-key' : 'finish-key-rotation';
    const procedure = pick(action);
    if (!procedure) return;
    d.keys.set(otherSlot, { kind, procedure, why, freesFor: slot, ...(kind === 'retire-move' ? { moveTo: slot } : {}) });
    d.keys.set(slot, { kind: 'rotate', procedure: rotation, why: rotateWhy });
    d.resolutions.set(f, words ? `Rotate access key ${slot} after retiring access key ${otherSlot} (${why}) to free a slot.` : '');
    if (words)
      d.notes.push(
        `Both access key slots of ${facts.principal.name} are full: access key ${otherSlot} is retired first (${why}), which frees the slot the replacement for access key ${slot} needs.`,
      );
    return;
  }
  // Both keys in use and this one is the older: moving its consumers to the newer key is the rotation.
  const finish = pick('finish-key-rotation');
  if (!finish) return;
  d.keys.set(slot, {
    kind: 'retire-move',
    procedure: finish,
    why: words ? `${age(key)}; access key ${otherSlot} is newer and in use` : '',
    moveTo: otherSlot,
  });
  d.resolutions.set(
    f,
    words
      ? `Both slots are full, so access key ${slot} is rotated by moving its consumers to the newer access key ${otherSlot} and retiring it.`
      : '',
  );
  if (words)
    d.notes.push(
      `Both access key slots of ${facts.principal.name} are full and in use: access key ${slot} is the older one, so it is retired in favour of access key ${otherSlot} rather than replaced by a third key.`,
    );
}
