import type { Finding } from '../../model/index.js';
import type { PrincipalFacts, SlotFacts } from './facts.js';
import { slotOf } from './facts.js';
import { describeLastUse, formatDays } from './template.js';

/** Days without use after which a key counts as unused when choosing which key to retire. */
export const UNUSED_DAYS = 45;

/** Procedures that remove an access key, by the kind of removal. */
const RETIRING: Readonly<Record<string, KeyAction['kind']>> = {
  'remove-unused-access-key': 'retire',
  'disable-unused-credential': 'retire',
  'delete-root-access-key': 'retire',
  'delete-inactive-access-key': 'delete-inactive',
};

/** What happens to one access key slot. */
export interface KeyAction {
  kind: 'retire' | 'delete-inactive' | 'retire-move' | 'rotate';
  /** Catalogue procedure whose steps carry it out. */
  procedure: string;
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
  /** finish-access-key-rotation without enough facts to choose the key. */
  undecidedRotation: boolean;
  removePassword: boolean;
  resolutions: Map<Finding, string>;
  /** Findings whose procedure is carried out as a block of its own (MFA, certificates, ...). */
  standalone: Finding[];
  notes: string[];
}

const isKey = (f: Finding): boolean => f.credential === 'access_key_1' || f.credential === 'access_key_2';

/** Whether a key looks unused: never used, or idle for longer than UNUSED_DAYS. */
function looksUnused(key: SlotFacts): string | null {
  if (key.active === false) return 'inactive';
  if (key.lastUsedKnown && key.lastUsed === null) return 'never used';
  if (key.lastUsedDaysAgo !== null && key.lastUsedDaysAgo > UNUSED_DAYS) return `unused for ${formatDays(key.lastUsedDaysAgo)}`;
  return null;
}

function age(key: SlotFacts): string {
  return key.ageDays === null ? 'age unknown' : `${formatDays(key.ageDays)} old`;
}

/**
 * Decides, for one principal, what happens to each credential so that several
 * findings become one consistent plan: a key is either retired or rotated, never
 * both; a rotation with both slots full frees a slot first; a removed password
 * needs no MFA.
 */
export function decide(findings: readonly Finding[], facts: PrincipalFacts): Decisions {
  const d: Decisions = { keys: new Map(), undecidedRotation: false, removePassword: false, resolutions: new Map(), standalone: [], notes: [] };
  const by = (procedure: string) => findings.filter((f) => f.remediation.procedure === procedure);

  // 1. Keys that go away outright.
  for (const f of findings.filter((x) => isKey(x) && RETIRING[x.remediation.procedure] !== undefined)) {
    const slot = slotOf(f.credential)!;
    const key = facts.keys[slot - 1]!;
    const kind = key.active === false ? 'delete-inactive' : RETIRING[f.remediation.procedure]!;
    const existing = d.keys.get(slot);
    const why = looksUnused(key) ?? (facts.principal.type === 'root' ? 'the root user should have no access keys' : 'no longer needed');
    // An inactive key only needs deleting, whatever the rule's procedure: no deactivation step.
    const procedure = kind === 'delete-inactive' ? 'delete-inactive-access-key' : f.remediation.procedure;
    if (!existing) d.keys.set(slot, { kind, procedure, why });
    d.resolutions.set(f, `${kind === 'delete-inactive' ? 'Delete' : 'Retire'} access key ${slot} (${why}).`);
  }

  // 2. A rotation left half-done: retire one of the two keys.
  for (const f of by('finish-access-key-rotation')) finishRotation(d, f, facts);

  // 3. Rotations.
  for (const f of by('rotate-access-key').filter(isKey)) rotate(d, f, facts);

  // 4. Passwords, MFA and everything else.
  for (const f of findings.filter((x) => x.remediation.procedure === 'disable-unused-credential' && x.credential === 'password')) {
    d.removePassword = true;
    d.resolutions.set(f, 'Remove the console password (unused).');
  }
  for (const f of findings) {
    if (d.resolutions.has(f)) continue;
    if (f.remediation.procedure === 'enable-user-mfa' && d.removePassword) {
      d.resolutions.set(f, 'Resolved by removing the console password: without a password there is no console sign-in to protect with MFA.');
      continue;
    }
    if (f.remediation.procedure === 'stop-using-root' && isKey(f) && d.keys.has(slotOf(f.credential)!)) {
      d.resolutions.set(f, `Resolved by deleting root access key ${slotOf(f.credential)} after its consumers move to an IAM role.`);
      continue;
    }
    d.standalone.push(f);
  }
  return d;
}

function finishRotation(d: Decisions, f: Finding, facts: PrincipalFacts): void {
  const already = [...d.keys.entries()].find(([, a]) => a.kind !== 'rotate');
  if (already) {
    d.resolutions.set(f, `Finished by retiring access key ${already[0]} (${already[1].why}); access key ${3 - already[0]} stays.`);
    return;
  }
  const choice = chooseKeyToRetire(facts);
  if (!choice) {
    d.undecidedRotation = true;
    d.resolutions.set(f, 'Finish the rotation: compare both keys, retire the unused or older one.');
    return;
  }
  const keep = (3 - choice.slot) as 1 | 2;
  d.keys.set(choice.slot, { kind: 'retire-move', procedure: 'finish-access-key-rotation', why: choice.why, moveTo: keep });
  d.resolutions.set(f, `Finish the rotation: retire access key ${choice.slot} (${choice.why}) and keep access key ${keep}.`);
}

/** The key to retire when both slots are full: the unused one, else the older one. */
export function chooseKeyToRetire(facts: PrincipalFacts): { slot: 1 | 2; why: string } | null {
  const [k1, k2] = facts.keys;
  const unused1 = looksUnused(k1);
  const unused2 = looksUnused(k2);
  if (unused1 && !unused2) return { slot: 1, why: `${unused1}, while access key 2 was used ${describeLastUse(k2)}` };
  if (unused2 && !unused1) return { slot: 2, why: `${unused2}, while access key 1 was used ${describeLastUse(k1)}` };
  if (k1.ageDays !== null && k2.ageDays !== null && k1.ageDays !== k2.ageDays) {
    const older = k1.ageDays > k2.ageDays ? k1 : k2;
    const newer = older === k1 ? k2 : k1;
    return { slot: older.slot, why: `the older key: ${age(older)}, access key ${newer.slot} is ${age(newer)}` };
  }
  return null;
}

function rotate(d: Decisions, f: Finding, facts: PrincipalFacts): void {
  const slot = slotOf(f.credential)!;
  const own = d.keys.get(slot);
  if (own) {
    const instead = own.kind === 'retire-move' ? `its consumers move to access key ${own.moveTo}` : 'no replacement is needed';
    d.resolutions.set(f, `Access key ${slot} is retired instead of rotated (${own.why}); ${instead}.`);
    return;
  }
  const key = facts.keys[slot - 1]!;
  const otherSlot = (3 - slot) as 1 | 2;
  const other = facts.keys[otherSlot - 1]!;
  const otherAction = d.keys.get(otherSlot);
  const rotateWhy = `${age(key)}, last used ${describeLastUse(key)}`;
  if (d.undecidedRotation) {
    // Both slots are full and the facts cannot say which key goes: finishing the rotation decides.
    d.resolutions.set(f, `Both slots are full, so access key ${slot} is not replaced by a third key: finishing the rotation retires the unused or older key. If access key ${slot} is the one that stays, rotate it afterwards into the freed slot.`);
    d.notes.push(`Access key ${slot} of ${facts.principal.name} is ${age(key)} and was last used ${describeLastUse(key)}; weigh that when choosing which key to retire.`);
    return;
  }
  if (otherAction) {
    otherAction.freesFor = slot;
    d.keys.set(slot, { kind: 'rotate', procedure: 'rotate-access-key', why: rotateWhy });
    d.resolutions.set(f, `Rotate access key ${slot} into the slot freed by retiring access key ${otherSlot} first.`);
    d.notes.push(`Both access key slots of ${facts.principal.name} are full: access key ${otherSlot} is retired first (${otherAction.why}), which frees the slot the replacement for access key ${slot} needs.`);
    return;
  }
  if (other.present !== true) {
    d.keys.set(slot, { kind: 'rotate', procedure: 'rotate-access-key', why: rotateWhy });
    d.resolutions.set(f, `Rotate access key ${slot} (${rotateWhy}).`);
    if (other.present === null) d.notes.push(`Whether access key ${otherSlot} of ${facts.principal.name} exists is not known here: if list-access-keys shows two keys, free a slot before creating the replacement.`);
    return;
  }
  const otherUnused = looksUnused(other);
  const otherIsOlder = other.ageDays !== null && key.ageDays !== null && other.ageDays > key.ageDays;
  if (otherUnused || otherIsOlder) {
    const why = otherUnused ?? `the older key: ${age(other)}`;
    const kind = other.active === false ? 'delete-inactive' : otherUnused ? 'retire' : 'retire-move';
    const procedure = kind === 'delete-inactive' ? 'delete-inactive-access-key' : kind === 'retire' ? 'remove-unused-access-key' : 'finish-access-key-rotation';
    d.keys.set(otherSlot, { kind, procedure, why, freesFor: slot, ...(kind === 'retire-move' ? { moveTo: slot } : {}) });
    d.keys.set(slot, { kind: 'rotate', procedure: 'rotate-access-key', why: rotateWhy });
    d.resolutions.set(f, `Rotate access key ${slot} after retiring access key ${otherSlot} (${why}) to free a slot.`);
    d.notes.push(`Both access key slots of ${facts.principal.name} are full: access key ${otherSlot} is retired first (${why}), which frees the slot the replacement for access key ${slot} needs.`);
    return;
  }
  // Both keys in use and this one is the older: moving its consumers to the newer key is the rotation.
  d.keys.set(slot, { kind: 'retire-move', procedure: 'finish-access-key-rotation', why: `${age(key)}; access key ${otherSlot} is newer and in use`, moveTo: otherSlot });
  d.resolutions.set(f, `Both slots are full, so access key ${slot} is rotated by moving its consumers to the newer access key ${otherSlot} and retiring it.`);
  d.notes.push(`Both access key slots of ${facts.principal.name} are full and in use: access key ${slot} is the older one, so it is retired in favour of access key ${otherSlot} rather than replaced by a third key.`);
}
