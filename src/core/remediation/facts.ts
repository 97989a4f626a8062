import type { Account, Finding, Principal } from '../../model/index.js';
import { daysBetween, parseTimestamp } from '../util/time.js';
import { certTimeMs, keyTimeMs, principalTimes, TIME, type PrincipalTimes } from '../report/times.js';

/** What the planner knows about one access key slot or certificate slot. */
export interface SlotFacts {
  slot: 1 | 2;
  /** The access key id, when a live scan resolved it (ListAccessKeys); null otherwise. */
  id: string | null;
  /** The slot holds a credential (active, or inactive but not deleted); null when unknown. */
  present: boolean | null;
  active: boolean | null;
  lastRotated: string | null;
  ageDays: number | null;
  /** Whether last-use data was seen at all; lastUsed null + known = never used. */
  lastUsedKnown: boolean;
  lastUsed: string | null;
  lastUsedDaysAgo: number | null;
  lastUsedService: string | null;
  lastUsedRegion: string | null;
}

/** Who can replace a credential, as found by the recovery-path collector. */
export interface RecoveryFacts {
  selfService?: boolean;
  /** How the user can do it themself, e.g. change-password (iam:ChangePassword) or update-login-profile. */
  selfServiceVia?: string[];
  /** Password: the user may call iam:ChangePassword on itself (a policy, or AllowUsersToChangePassword). */
  changePasswordAllowed?: boolean;
  /** MFA: the user's own policies deny most actions without MFA, so a password alone does not let it work. */
  requiredByPolicies?: boolean;
  /** The action sets that reset the credential (any one set, every action in it). */
  requiredActions?: string[][];
  /** ARNs of principals who can reset the credential for the user. */
  administrators?: string[];
  conditional?: boolean;
  rootOnly?: boolean;
  /** How root could reset it: available, after-root-password-recovery, blocked-by-scp or unknown. */
  rootFallback?: string;
  /** The analysis could not decide: treated as "not known". */
  unknown?: boolean;
}

/** Everything the planner knows about one principal. */
export interface PrincipalFacts {
  accountId: string;
  accountName: string | null;
  /** ARN partition of the account (aws, aws-cn, aws-us-gov), from the principal's ARN. */
  partition: string;
  asOf: string | null;
  principal: { type: 'root' | 'user'; name: string; arn: string };
  keys: [SlotFacts, SlotFacts];
  certs: [SlotFacts, SlotFacts];
  password: {
    lastUsed: string | null;
    lastUsedKnown: boolean;
    lastUsedDaysAgo: number | null;
    nextRotation: string | null;
    nextRotationInDays: number | null;
  };
  recovery: { password?: RecoveryFacts; accessKeys?: RecoveryFacts; mfa?: RecoveryFacts };
  /** The account's only credential administrator (account.facts.recovery.soleAdministrator), when there is one. */
  soleAdministrator: string | null;
  /** The account password policy (account.facts.passwordPolicy: the policy, 'none' or 'unknown'), when known. */
  passwordPolicy: unknown;
  /** The evidence of each finding about a credential the report leaves out (`<kind>:<id>`), by credential. */
  itemEvidence: Record<string, Readonly<Record<string, unknown>>>;
}

/** An access key slot the report says nothing about: every fact unknown. */
export function emptySlot(slot: 1 | 2): SlotFacts {
  return {
    slot,
    id: null,
    present: null,
    active: null,
    lastRotated: null,
    ageDays: null,
    lastUsedKnown: false,
    lastUsed: null,
    lastUsedDaysAgo: null,
    lastUsedService: null,
    lastUsedRegion: null,
  };
}

/** Days from `time` to the as-of time (epoch ms, NaN when unknown); null when either is unknown. */
function daysSince(time: string | null, asOfMs: number): number | null {
  return time === null ? null : daysSinceAt(time, parseTimestamp(time), asOfMs);
}

/**
 * Days from a time of the snapshot principal's report row (its text, and `ms`, its parsed value)
 * to the as-of time: as {@link daysSince}, without parsing the text again.
 */
function daysSinceAt(time: string | null, ms: number, asOfMs: number): number | null {
  if (time === null || Number.isNaN(asOfMs)) return null;
  return Number.isNaN(ms) ? null : daysBetween(ms, asOfMs);
}

/** What the findings imply beyond their evidence, from their procedures' declarations. */
export interface EvidenceHints {
  /** A finding asks to finish a rotation: its rule fires only when both slots hold active keys. */
  bothKeysActive?: boolean;
}

/**
 * Collects facts about one principal: from its snapshot entry when the caller has
 * one, else from the evidence of its findings. Evidence is partial (a rule records
 * only the fields it names), so every fact may stay unknown.
 */
export function principalFacts(
  findings: readonly Finding[],
  asOf: string | null,
  snapshot?: { account: Account; principal: Principal; times?: PrincipalTimes },
  evidenceHints: EvidenceHints = {},
): PrincipalFacts {
  const first = findings[0]!;
  const asOfMs = asOf === null ? Number.NaN : parseTimestamp(asOf);
  if (snapshot) return snapshotFacts(findings, asOf, asOfMs, snapshot);
  const facts: PrincipalFacts = {
    accountId: first.accountId,
    accountName: first.accountName ?? null,
    partition: partitionOf(first.principal.arn),
    asOf,
    // Shared, not copied: nothing changes a finding's principal.
    principal: first.principal,
    keys: [emptySlot(1), emptySlot(2)],
    certs: [emptySlot(1), emptySlot(2)],
    password: { lastUsed: null, lastUsedKnown: false, lastUsedDaysAgo: null, nextRotation: null, nextRotationInDays: null },
    recovery: NO_RECOVERY,
    soleAdministrator: null,
    passwordPolicy: null,
    itemEvidence: itemEvidenceOf(findings),
  };
  for (const finding of findings) fromEvidence(facts, finding);
  if (evidenceHints.bothKeysActive === true) {
    for (const key of facts.keys) {
      key.present = true;
      key.active ??= true;
    }
  }
  slotAges(facts.keys[0], asOfMs);
  slotAges(facts.keys[1], asOfMs);
  slotAges(facts.certs[0], asOfMs);
  slotAges(facts.certs[1], asOfMs);
  passwordAges(facts.password, asOfMs);
  return facts;
}

/**
 * The facts of a principal the snapshot lists: every slot known from its report row. A scan
 * keeps each plan's facts until its account's reports are written, so what most principals
 * share is not copied into each: an empty slot (see {@link EMPTY_KEYS}), no recovery facts, no
 * item evidence, the findings' own principal.
 */
function snapshotFacts(
  findings: readonly Finding[],
  asOf: string | null,
  asOfMs: number,
  snapshot: { account: Account; principal: Principal; times?: PrincipalTimes },
): PrincipalFacts {
  const first = findings[0]!;
  const { account, principal } = snapshot;
  // Parsed when the report was read (see report/times.ts), else now.
  const times = snapshot.times ?? principalTimes(principal);
  const nextRotationAgo = daysSinceAt(principal.password.nextRotation, times[TIME.passwordNextRotation]!, asOfMs);
  const password = {
    lastUsed: principal.password.lastUsed,
    lastUsedKnown: true,
    lastUsedDaysAgo: daysSinceAt(principal.password.lastUsed, times[TIME.passwordLastUsed]!, asOfMs),
    nextRotation: principal.password.nextRotation,
    nextRotationInDays: nextRotationAgo === null ? null : -nextRotationAgo,
  };
  const sole = (account.facts?.recovery as { soleAdministrator?: unknown } | undefined)?.soleAdministrator;
  return {
    accountId: first.accountId,
    accountName: first.accountName ?? account.name ?? null,
    partition: partitionOf(first.principal.arn),
    asOf,
    principal: first.principal,
    keys: slotPair(keySlot(principal, times, 0, asOfMs), keySlot(principal, times, 1, asOfMs), EMPTY_KEYS),
    certs: slotPair(certSlot(principal, times, 0, asOfMs), certSlot(principal, times, 1, asOfMs), EMPTY_CERTS),
    password,
    recovery: recoveryFrom(principal.facts?.recovery),
    soleAdministrator: typeof sole === 'string' ? sole : null,
    passwordPolicy: account.facts?.passwordPolicy ?? null,
    itemEvidence: itemEvidenceOf(findings),
  };
}

/** A slot's ages from its times, where the evidence did not state them. */
function slotAges(slot: SlotFacts, asOfMs: number): void {
  slot.ageDays ??= daysSince(slot.lastRotated, asOfMs);
  slot.lastUsedDaysAgo ??= daysSince(slot.lastUsed, asOfMs);
}

/** The password's ages from its times, where the evidence did not state them. */
function passwordAges(password: PrincipalFacts['password'], asOfMs: number): void {
  password.lastUsedDaysAgo ??= daysSince(password.lastUsed, asOfMs);
  if (password.nextRotationInDays === null && password.nextRotation !== null) {
    const ago = daysSince(password.nextRotation, asOfMs);
    password.nextRotationInDays = ago === null ? null : -ago;
  }
}

/**
 * The access key slot at `index` as the report row shows it. An empty one (no key: inactive, never
 * rotated, never used) gives the same facts for every principal: the shared {@link EMPTY_KEYS} slot.
 */
function keySlot(principal: Principal, times: PrincipalTimes, index: 0 | 1, asOfMs: number): SlotFacts {
  const slot = index === 0 ? 1 : 2;
  const key = principal.accessKeys[index];
  if (key === undefined) return emptySlot(slot);
  const present = key.active || key.lastRotated !== null;
  const empty = !present && key.id === undefined && key.lastUsed === null && key.lastUsedService === null && key.lastUsedRegion === null;
  if (empty) return EMPTY_KEYS[slot - 1]!;
  return {
    slot,
    id: key.id ?? null,
    present,
    active: key.active,
    lastRotated: key.lastRotated,
    ageDays: daysSinceAt(key.lastRotated, keyTimeMs(principal, times, key, 'lastRotated'), asOfMs),
    lastUsedKnown: true,
    lastUsed: key.lastUsed,
    lastUsedDaysAgo: daysSinceAt(key.lastUsed, keyTimeMs(principal, times, key, 'lastUsed'), asOfMs),
    lastUsedService: key.lastUsedService,
    lastUsedRegion: key.lastUsedRegion,
  };
}

/** The signing certificate slot at `index` as the report row shows it; an empty one is the shared {@link EMPTY_CERTS} slot. */
function certSlot(principal: Principal, times: PrincipalTimes, index: 0 | 1, asOfMs: number): SlotFacts {
  const slot = index === 0 ? 1 : 2;
  const cert = principal.certificates[index];
  if (cert === undefined) return emptySlot(slot);
  const present = cert.active || cert.lastRotated !== null;
  if (!present) return EMPTY_CERTS[slot - 1]!;
  const ageDays = daysSinceAt(cert.lastRotated, certTimeMs(principal, times, cert), asOfMs);
  return { ...emptySlot(slot), present, active: cert.active, lastRotated: cert.lastRotated, ageDays };
}

/** Two slots: the shared pair when both are the shared empty ones. */
function slotPair(first: SlotFacts, second: SlotFacts, empty: [SlotFacts, SlotFacts]): [SlotFacts, SlotFacts] {
  return first === empty[0] && second === empty[1] ? empty : [first, second];
}

/** The evidence of each finding about a credential the report leaves out, by credential; the shared empty record when none. */
function itemEvidenceOf(findings: readonly Finding[]): PrincipalFacts['itemEvidence'] {
  let evidence: PrincipalFacts['itemEvidence'] | undefined;
  for (const finding of findings) {
    if (finding.credential !== null && finding.credential.includes(':')) (evidence ??= {})[finding.credential] = finding.evidence;
  }
  return evidence ?? NO_ITEM_EVIDENCE;
}

/**
 * Facts many principals share, made once. Frozen: a reader that tried to change one would
 * change every plan's facts, so the write throws instead.
 */
const frozenSlot = (slot: SlotFacts): SlotFacts => Object.freeze(slot) as SlotFacts;

/** The key slots of a report row without keys: inactive, never rotated, and no last use (known: the report says N/A). */
const EMPTY_KEYS = Object.freeze([
  frozenSlot({ ...emptySlot(1), present: false, active: false, lastUsedKnown: true }),
  frozenSlot({ ...emptySlot(2), present: false, active: false, lastUsedKnown: true }),
]) as [SlotFacts, SlotFacts];

/** The certificate slots of a report row without certificates. */
const EMPTY_CERTS = Object.freeze([
  frozenSlot({ ...emptySlot(1), present: false, active: false }),
  frozenSlot({ ...emptySlot(2), present: false, active: false }),
]) as [SlotFacts, SlotFacts];

const NO_RECOVERY: PrincipalFacts['recovery'] = Object.freeze({});
const NO_ITEM_EVIDENCE: PrincipalFacts['itemEvidence'] = Object.freeze({});

/** Reads `key.*`, `cert.*`, `credential.*`, `password.*` and `facts.recovery*` evidence. */
function fromEvidence(facts: PrincipalFacts, finding: Finding): void {
  const ev = finding.evidence;
  const slotNo = slotOf(finding.credential);
  const isKey = finding.credential === 'access_key_1' || finding.credential === 'access_key_2';
  const isCert = finding.credential === 'cert_1' || finding.credential === 'cert_2';
  if (slotNo !== null && isKey) {
    const key = facts.keys[slotNo - 1]!;
    key.present = true;
    readSlot(key, ev, 'key.');
    readSlot(key, ev, 'credential.');
    if (ev['credential.enabled'] !== undefined) key.active = ev['credential.enabled'] as boolean | null;
  }
  if (slotNo !== null && isCert) {
    const cert = facts.certs[slotNo - 1]!;
    cert.present = true;
    readSlot(cert, ev, 'cert.');
  }
  const passwordPrefix = finding.credential === 'password' ? ['password.', 'credential.'] : ['password.'];
  for (const prefix of passwordPrefix) {
    if (`${prefix}lastUsed` in ev) {
      facts.password.lastUsed = (ev[`${prefix}lastUsed`] as string | null) ?? null;
      facts.password.lastUsedKnown = true;
    }
    if (typeof ev[`${prefix}lastUsedDaysAgo`] === 'number') facts.password.lastUsedDaysAgo = ev[`${prefix}lastUsedDaysAgo`] as number;
  }
  if (typeof ev['password.nextRotation'] === 'string') facts.password.nextRotation = ev['password.nextRotation'] as string;
  if (typeof ev['password.nextRotationInDays'] === 'number')
    facts.password.nextRotationInDays = ev['password.nextRotationInDays'] as number;
  if (ev['account.facts.passwordPolicy'] !== undefined) facts.passwordPolicy = ev['account.facts.passwordPolicy'];
  if (typeof ev['account.facts.recovery.soleAdministrator'] === 'string')
    facts.soleAdministrator = ev['account.facts.recovery.soleAdministrator'] as string;
  const recovery = recoveryFromEvidence(ev);
  // A new record, never a change to the one the facts hold (the shared NO_RECOVERY at first).
  if (recovery.password) facts.recovery = { ...facts.recovery, password: { ...facts.recovery.password, ...recovery.password } };
  if (recovery.accessKeys) facts.recovery = { ...facts.recovery, accessKeys: { ...facts.recovery.accessKeys, ...recovery.accessKeys } };
  if (recovery.mfa) facts.recovery = { ...facts.recovery, mfa: { ...facts.recovery.mfa, ...recovery.mfa } };
}

function readSlot(slot: SlotFacts, ev: Record<string, unknown>, prefix: string): void {
  const get = (name: string): unknown => ev[`${prefix}${name}`];
  if (typeof get('active') === 'boolean') slot.active = get('active') as boolean;
  if (typeof get('lastRotated') === 'string') slot.lastRotated = get('lastRotated') as string;
  if (typeof get('ageDays') === 'number') slot.ageDays = get('ageDays') as number;
  if (`${prefix}lastUsed` in ev) {
    slot.lastUsedKnown = true;
    slot.lastUsed = (get('lastUsed') as string | null) ?? null;
  }
  if (get('neverUsed') === true) slot.lastUsedKnown = true;
  if (typeof get('lastUsedDaysAgo') === 'number') slot.lastUsedDaysAgo = get('lastUsedDaysAgo') as number;
  if (typeof get('lastUsedService') === 'string') slot.lastUsedService = get('lastUsedService') as string;
  if (typeof get('lastUsedRegion') === 'string') slot.lastUsedRegion = get('lastUsedRegion') as string;
}

/** The partition of an ARN (`arn:aws-cn:iam::…` gives aws-cn); `aws` when the ARN is malformed. */
export function partitionOf(arn: string): string {
  // The commercial partition (nearly every ARN) without the pattern's match array: `aws`
  // followed by `:` is what the pattern captures too.
  if (arn.startsWith('arn:aws:')) return 'aws';
  return /^arn:(aws[a-z-]*):/.exec(arn)?.[1] ?? 'aws';
}

/** 1 or 2 for a slot credential, else null. */
export function slotOf(credential: Finding['credential']): 1 | 2 | null {
  if (credential === 'access_key_1' || credential === 'cert_1') return 1;
  if (credential === 'access_key_2' || credential === 'cert_2') return 2;
  return null;
}

function recoveryFrom(value: unknown): PrincipalFacts['recovery'] {
  if (!isRecord(value)) return NO_RECOVERY;
  return {
    ...(isRecord(value.password) ? { password: value.password as RecoveryFacts } : {}),
    ...(isRecord(value.accessKeys) ? { accessKeys: value.accessKeys as RecoveryFacts } : {}),
    ...(isRecord(value.mfa) ? { mfa: value.mfa as RecoveryFacts } : {}),
  };
}

/** Evidence may hold `facts.recovery`, `facts.recovery.password` or `facts.recovery.password.selfService`. */
function recoveryFromEvidence(ev: Record<string, unknown>): PrincipalFacts['recovery'] {
  const tree: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(ev)) {
    if (path !== 'facts.recovery' && !path.startsWith('facts.recovery.')) continue;
    const segments = path.split('.').slice(2);
    if (segments.length === 0) {
      if (isRecord(value)) Object.assign(tree, value);
      continue;
    }
    let node = tree;
    for (const segment of segments.slice(0, -1))
      node = (node[segment] = isRecord(node[segment]) ? node[segment] : {}) as Record<string, unknown>;
    node[segments.at(-1)!] = value;
  }
  return recoveryFrom(tree);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
