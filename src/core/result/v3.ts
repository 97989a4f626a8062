/**
 * Result schema v3, the compact layout (schemas/result-v3.schema.json): findings are grouped by
 * account and hold only what differs between them (a rule's title, frameworks and procedure
 * are stated once in `rules`; the account's id and name once in its entry), and a plan holds
 * what the planner knew of its principal (its facts), never its text: each procedure's text is
 * stated once in `procedures`, and the plan is made again from both when it is read
 * ({@link expandPlan}). This file maps one item at a time both ways; the writer is the JSON
 * sink (core/format/json.ts) and the reader is stream.ts. Pure.
 */
import type { AccountResult, Finding, Plan, RuleSummary } from '../../model/index.js';
import {
  emptySlot,
  planId,
  planPrincipal,
  toResultPlan,
  type Catalogue,
  type PlanOutline,
  type PrincipalFacts,
  type ScanAccess,
} from '../remediation/index.js';
import type { SlotFacts } from '../remediation/facts.js';
import type { Procedure } from '../remediation/types.js';

/** What a v3 finding takes from its rule unless it says otherwise. */
export interface RuleDefaults {
  title: string;
  frameworks: Finding['frameworks'];
  procedure?: string;
}

/** A finding as a v3 account entry holds it. */
export interface FindingV3 {
  ruleId: string;
  severity: Finding['severity'];
  principal: Finding['principal'];
  credential: Finding['credential'];
  message: string;
  evidence: Finding['evidence'];
  status: Finding['status'];
  fingerprint: string;
  planId?: string;
  waiver?: Finding['waiver'];
  baseline?: Finding['baseline'];
  firstSeen?: string;
  /** Only when it differs from the rule's (or the account's). */
  title?: string;
  frameworks?: Finding['frameworks'];
  procedure?: string;
  accountName?: string | null;
  ouPath?: string | null;
}

/** A plan as a v3 account entry holds it: its id, its principal, and what the planner knew (or, when those are unknown, the whole plan). */
export interface PlanV3 {
  id: string;
  arn: string;
  /** The planner's facts, as a difference from what the account and the ARN give ({@link baseFacts}). */
  facts?: Record<string, unknown>;
  /** The whole plan, for a plan whose facts are unknown (a result written before v3, merged). */
  whole?: Omit<Plan, 'id' | 'accountId'>;
}

/** The compact form of a finding of `account`. Members are set in the schema's order, each optional one only when present. */
export function compactFinding(
  f: Finding,
  rule: RuleDefaults | undefined,
  account: Pick<AccountResult, 'name' | 'ouPath'> | undefined,
): FindingV3 {
  const out: FindingV3 = {
    ruleId: f.ruleId,
    severity: f.severity,
    principal: f.principal,
    credential: f.credential,
    message: f.message,
    evidence: f.evidence,
    status: f.status,
    fingerprint: f.fingerprint,
  };
  if (f.remediation.planId !== undefined) out.planId = f.remediation.planId;
  if (f.waiver) out.waiver = f.waiver;
  if (f.baseline) out.baseline = f.baseline;
  if (f.firstSeen !== undefined) out.firstSeen = f.firstSeen;
  if (rule?.title !== f.title) out.title = f.title;
  if (rule === undefined || !sameFrameworks(rule, f.frameworks)) out.frameworks = f.frameworks;
  if (rule?.procedure !== f.remediation.procedure) out.procedure = f.remediation.procedure;
  if ((f.accountName ?? null) !== (account?.name ?? null)) out.accountName = f.accountName ?? null;
  if ((f.ouPath ?? null) !== (account?.ouPath ?? null)) out.ouPath = f.ouPath ?? null;
  return out;
}

/** The frameworks object a rule's findings were last compared with, and whether it writes the rule's own text. */
const frameworksSeen = new WeakMap<RuleDefaults, { frameworks: Finding['frameworks']; same: boolean }>();

/**
 * Whether a finding's frameworks write the same JSON as its rule's. The findings of a rule share
 * one frameworks object (the compiled rule's), which is not the rule defaults' own in a worker
 * thread (those came from the main thread by message): so the answer is kept per rule for the
 * object last compared, and each finding costs a comparison of references instead of two
 * JSON.stringify calls (3.7% of a worker's time at 1,000,500 principals). Frameworks are never
 * changed once a finding has them, so an answer kept for an object stays true.
 */
function sameFrameworks(rule: RuleDefaults, frameworks: Finding['frameworks']): boolean {
  const seen = frameworksSeen.get(rule);
  if (seen?.frameworks === frameworks) return seen.same;
  const same = sameJson(rule.frameworks, frameworks);
  frameworksSeen.set(rule, { frameworks, same });
  return same;
}

/** The whole finding (the model every report reads) of a v3 finding of `account`. */
export function expandFinding(
  f: FindingV3,
  rule: RuleDefaults | undefined,
  account: Pick<AccountResult, 'id' | 'name' | 'ouPath'>,
): Finding {
  const procedure = f.procedure ?? rule?.procedure ?? '';
  return {
    ruleId: f.ruleId,
    title: f.title ?? rule?.title ?? f.ruleId,
    severity: f.severity,
    accountId: account.id,
    accountName: f.accountName !== undefined ? f.accountName : (account.name ?? null),
    ouPath: f.ouPath !== undefined ? f.ouPath : (account.ouPath ?? null),
    principal: f.principal,
    credential: f.credential,
    message: f.message,
    evidence: f.evidence,
    frameworks: f.frameworks ?? rule?.frameworks ?? { 'cis-aws-3.0': [], 'cis-aws-5.0': [], 'aws-security-hub': [], 'aws-config': [] },
    remediation: { procedure, ...(f.planId !== undefined ? { planId: f.planId } : {}) },
    status: f.status,
    ...(f.waiver ? { waiver: f.waiver } : {}),
    ...(f.baseline ? { baseline: f.baseline } : {}),
    ...(f.firstSeen !== undefined ? { firstSeen: f.firstSeen } : {}),
    fingerprint: f.fingerprint,
  };
}

/** What a rule gives its findings, by rule id. */
export function ruleDefaults(
  rules: readonly Pick<RuleSummary, 'id' | 'title' | 'frameworks'>[],
  procedures: Readonly<Record<string, string>> = {},
): Map<string, RuleDefaults> {
  return new Map(
    rules.map((r) => [r.id, { title: r.title, frameworks: r.frameworks, ...(procedures[r.id] ? { procedure: procedures[r.id] } : {}) }]),
  );
}

/** The facts every principal of an account starts from: what a v3 plan stores is the difference. */
export function baseFacts(
  account: Pick<AccountResult, 'id' | 'name' | 'asOf' | 'reportGeneratedTime'>,
  asOf: string | null,
  principal: Finding['principal'],
): PrincipalFacts {
  return {
    accountId: account.id,
    accountName: account.name ?? null,
    partition: basePartition(principal.arn),
    asOf: asOf ?? account.asOf ?? account.reportGeneratedTime ?? null,
    principal: { type: principal.type, name: principal.name, arn: principal.arn },
    keys: [emptySlot(1), emptySlot(2)],
    certs: [emptySlot(1), emptySlot(2)],
    password: { lastUsed: null, lastUsedKnown: false, lastUsedDaysAgo: null, nextRotation: null, nextRotationInDays: null },
    recovery: {},
    soleAdministrator: null,
    passwordPolicy: null,
    itemEvidence: {},
  };
}

/** The partition of a principal's ARN as the base facts state it. */
function basePartition(arn: string): string {
  // Most ARNs are in the aws partition: that one needs no regular expression.
  if (arn.startsWith('arn:aws:')) return 'aws';
  return /^arn:([^:]+):/.exec(arn)?.[1] ?? 'aws';
}

/**
 * Writes the plans of one account in their compact form: each plan's facts as a difference
 * from {@link baseFacts} of its account, or, for a whole plan read from a result (its facts
 * unknown), the whole plan. The parts of the base that are the same for every principal of the
 * account are made once (the difference only reads them).
 */
export function planCompactor(
  account: Pick<AccountResult, 'id' | 'name' | 'asOf' | 'reportGeneratedTime'>,
  asOf: string | null,
): (plan: PlanOutline) => PlanV3 {
  let base: PrincipalFacts | undefined;
  return (plan) => {
    if (plan.facts === undefined) {
      const { id: _id, accountId: _account, ...rest } = plan;
      // A plan without facts was read whole from a result: the rest is the whole plan.
      return { id: plan.id, arn: plan.principal.arn, whole: rest as NonNullable<PlanV3['whole']> };
    }
    // One base for the account, its principal's parts set per plan: diff only reads it and
    // never returns a part of it, so no plan needs a copy.
    base ??= baseFacts(account, asOf, plan.principal);
    const { type, name, arn } = plan.principal;
    base.partition = basePartition(arn);
    base.principal = { type, name, arn };
    // Member by member from the top: the top of the base is changed per plan, so its difference is never kept (see frozenDiff).
    const difference = diffFacts(plan.facts, base);
    // Two literals: a conditional spread would build a third object and copy it.
    return difference ? { id: plan.id, arn, facts: difference } : { id: plan.id, arn };
  };
}

/**
 * The whole plan (schema v2 `Plan`) of a v3 plan: made again by the planner from the account's
 * open findings of its principal, its facts and the procedures the result states, so it is the
 * plan the scan made. Undefined when the principal has no open finding with a known procedure.
 */
export function expandPlan(
  plan: PlanV3,
  account: Pick<AccountResult, 'id' | 'name' | 'asOf' | 'reportGeneratedTime'>,
  asOf: string | null,
  accountFindings: readonly Finding[],
  catalogue: Catalogue,
  access: ScanAccess,
): Plan | undefined {
  return expandPlanOutline(plan, account, asOf, accountFindings, catalogue, access)?.plan;
}

/**
 * {@link expandPlan}, with the facts the plan was made from (undefined for a plan stated
 * whole): what a writer needs to write the plan compact again (merge).
 */
export function expandPlanOutline(
  plan: PlanV3,
  account: Pick<AccountResult, 'id' | 'name' | 'asOf' | 'reportGeneratedTime'>,
  asOf: string | null,
  accountFindings: readonly Finding[],
  catalogue: Catalogue,
  access: ScanAccess,
): { plan: Plan; facts?: PrincipalFacts } | undefined {
  if (plan.whole) return { plan: { id: plan.id, accountId: account.id, ...plan.whole } as Plan };
  const findings = accountFindings.filter(
    (f) => f.status === 'open' && f.principal.arn === plan.arn && catalogue.has(f.remediation.procedure),
  );
  const first = findings[0];
  if (!first) return undefined;
  const facts = patch(baseFacts(account, asOf, first.principal), plan.facts) as PrincipalFacts;
  const id = plan.id || planId(account.id, plan.arn);
  return { plan: toResultPlan(id, planPrincipal(findings, facts, catalogue, access)), facts };
}

/** A catalogue of the procedures a result states (their text, without where they were read from). */
export function catalogueOf(procedures: readonly unknown[] | undefined): Catalogue {
  return new Map((procedures ?? []).map((p) => [(p as Procedure).id, { source: '', ...(p as Omit<Procedure, 'source'>) } as Procedure]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether two values have the same JSON text. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Two different JSON primitives (null, booleans, strings, numbers) write the same text only
  // when both write `null` (null, NaN, ±Infinity): no need to write them. This runs for every
  // fact of every plan, most of them a value against the base's null.
  if (isJsonPrimitive(a) && isJsonPrimitive(b)) return writesNull(a) && writesNull(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

function isJsonPrimitive(value: unknown): value is null | boolean | string | number {
  const type = typeof value;
  return value === null || type === 'string' || type === 'number' || type === 'boolean';
}

function writesNull(value: null | boolean | string | number): boolean {
  return value === null || (typeof value === 'number' && !isFinite(value));
}

/**
 * What of `value` differs from `base`, or undefined when nothing does: objects key by key,
 * arrays of the same length element by element (an unchanged element is `{}`), anything else whole.
 */
export function diff(value: unknown, base: unknown): unknown {
  // The same value has the same text: most facts are the base's own strings, or both null.
  if (value === base) return undefined;
  if (typeof value === 'object' && value !== null && Object.isFrozen(value)) return frozenDiff(value, base);
  return diffOf(value, base);
}

/** The difference of a frozen value from the base it was last compared with (one per value; the base objects of a plan's facts are made once per account). */
const frozenDiffs = new WeakMap<object, { base: unknown; difference: unknown }>();

/**
 * {@link diff} of a frozen value: the planner shares deeply frozen facts between principals (an
 * empty key or certificate slot, a pair of them, no recovery facts), so most plans compare the
 * same objects with their account's same base objects, and the answer is kept by object instead
 * of walked again. Only a value frozen all the way down is kept (a frozen object may hold one
 * that changes); the base objects are never changed once made (see {@link planCompactor}). The
 * difference kept is shared by every plan it is given to: it is written, never changed.
 */
function frozenDiff(value: object, base: unknown): unknown {
  const kept = frozenDiffs.get(value);
  if (kept && kept.base === base) return kept.difference;
  const difference = diffOf(value, base);
  if (deeplyFrozen(value)) frozenDiffs.set(value, { base, difference });
  return difference;
}

/** Whether every object in `value` (itself included) is frozen: nothing in it can change. */
function deeplyFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (!Object.isFrozen(value)) return false;
  return Object.values(value).every(deeplyFrozen);
}

/** {@link diff} of values that are not the same, walked. */
function diffOf(value: unknown, base: unknown): unknown {
  if (isPlainObject(value) && isPlainObject(base)) return diffMembers(value, base);
  if (Array.isArray(value) && Array.isArray(base) && value.length === base.length && allPlainObjects(value) && allPlainObjects(base))
    return diffElements(value, base);
  return sameJson(value, base) ? undefined : value;
}

/** The members of a plan's facts in the order the planner makes them (remediation/facts.ts), the order {@link diffFacts} writes them in. */
const FACT_MEMBERS = [
  'accountId',
  'accountName',
  'partition',
  'asOf',
  'principal',
  'keys',
  'certs',
  'password',
  'recovery',
  'soleAdministrator',
  'passwordPolicy',
  'itemEvidence',
] as const satisfies readonly (keyof PrincipalFacts)[];

/** A member of PrincipalFacts missing from FACT_MEMBERS (and so from {@link diffFacts}) fails to compile here. */
const everyFactListed: [Exclude<keyof PrincipalFacts, (typeof FACT_MEMBERS)[number]>] extends [never] ? true : never = true;
void everyFactListed;

/**
 * {@link diffMembers} of a plan's facts from its account's base: the same difference, members in
 * the same order. Facts made by the planner (every plan of a scan) have {@link FACT_MEMBERS} in
 * that order, and each is read by its name: the generic walk reads both objects by computed key
 * and checks each key's ownership, the largest part of a plan's compaction (measured on the
 * 100,050-principal set: docs/performance.md). Facts of any other shape (a hand-written result
 * read back) take the generic walk.
 */
export function diffFacts(value: PrincipalFacts, base: PrincipalFacts): Record<string, unknown> | undefined {
  if (!hasFactMembers(value)) return diffMembers(value as unknown as Record<string, unknown>, base as unknown as Record<string, unknown>);
  let out: Record<string, unknown> | undefined;
  out = namedMember(out, 'accountId', value.accountId, base.accountId);
  out = namedMember(out, 'accountName', value.accountName, base.accountName);
  out = namedMember(out, 'partition', value.partition, base.partition);
  out = namedMember(out, 'asOf', value.asOf, base.asOf);
  out = namedMember(out, 'principal', value.principal, base.principal);
  out = namedMember(out, 'keys', value.keys, base.keys);
  out = namedMember(out, 'certs', value.certs, base.certs);
  out = namedMember(out, 'password', value.password, base.password);
  out = namedMember(out, 'recovery', value.recovery, base.recovery);
  out = namedMember(out, 'soleAdministrator', value.soleAdministrator, base.soleAdministrator);
  out = namedMember(out, 'passwordPolicy', value.passwordPolicy, base.passwordPolicy);
  out = namedMember(out, 'itemEvidence', value.itemEvidence, base.itemEvidence);
  return out;
}

/**
 * Whether an object's enumerable members are exactly {@link FACT_MEMBERS}, in that order (an
 * inherited enumerable member fails it too: the generic walk skips those). Walked without
 * allocating a list of keys: this runs for every plan.
 */
function hasFactMembers(value: object): boolean {
  let i = 0;
  for (const key in value) if (key !== FACT_MEMBERS[i++]) return false;
  return i === FACT_MEMBERS.length;
}

/** Objects member by member: undefined when no member differs. */
function diffMembers(value: Record<string, unknown>, base: Record<string, unknown>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const v = value[key];
    if (v === undefined) continue;
    const d = diff(v, base[key]);
    if (d !== undefined) (out ??= {})[key] = d;
  }
  return out;
}

/** Arrays of objects element by element: undefined when no element differs, else `{}` for each one that does not. */
function diffElements(value: readonly unknown[], base: readonly unknown[]): unknown[] | undefined {
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const v = value[i] as Record<string, unknown>;
    const b = base[i] as Record<string, unknown>;
    const d = v !== b && !Object.isFrozen(v) && hasSlotMembers(v) ? diffSlot(v as unknown as SlotFacts, b) : diff(v, b);
    if (d === undefined) continue;
    if (!out) {
      out = new Array<unknown>(value.length);
      for (let j = 0; j < value.length; j++) out[j] = {};
    }
    out[i] = d;
  }
  return out;
}

/** The members of a key or certificate slot in the order {@link emptySlot} makes them, the order of every slot of a plan's facts. */
const SLOT_MEMBERS = [
  'slot',
  'id',
  'present',
  'active',
  'lastRotated',
  'ageDays',
  'lastUsedKnown',
  'lastUsed',
  'lastUsedDaysAgo',
  'lastUsedService',
  'lastUsedRegion',
] as const satisfies readonly (keyof SlotFacts)[];

/** A member of SlotFacts missing from SLOT_MEMBERS (and so from {@link diffSlot}) fails to compile here. */
const everySlotMemberListed: [Exclude<keyof SlotFacts, (typeof SLOT_MEMBERS)[number]>] extends [never] ? true : never = true;
void everySlotMemberListed;

/** Whether an object's own members are a slot's, in a slot's order: then {@link diffSlot} gives what {@link diffMembers} would. */
function hasSlotMembers(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  if (keys.length !== SLOT_MEMBERS.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== SLOT_MEMBERS[i]) return false;
  return true;
}

/**
 * {@link diffMembers} of a key or certificate slot (four in every plan's facts, most members the
 * base's null). Each member is read by its name, where the generic walk reads both objects by a
 * computed key: about 20% less time per plan (measured on the 100,050-principal set's plans).
 */
function diffSlot(value: SlotFacts, base: Record<string, unknown>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  out = namedMember(out, 'slot', value.slot, base.slot);
  out = namedMember(out, 'id', value.id, base.id);
  out = namedMember(out, 'present', value.present, base.present);
  out = namedMember(out, 'active', value.active, base.active);
  out = namedMember(out, 'lastRotated', value.lastRotated, base.lastRotated);
  out = namedMember(out, 'ageDays', value.ageDays, base.ageDays);
  out = namedMember(out, 'lastUsedKnown', value.lastUsedKnown, base.lastUsedKnown);
  out = namedMember(out, 'lastUsed', value.lastUsed, base.lastUsed);
  out = namedMember(out, 'lastUsedDaysAgo', value.lastUsedDaysAgo, base.lastUsedDaysAgo);
  out = namedMember(out, 'lastUsedService', value.lastUsedService, base.lastUsedService);
  out = namedMember(out, 'lastUsedRegion', value.lastUsedRegion, base.lastUsedRegion);
  return out;
}

/** One member read by its name ({@link diffSlot}, {@link diffFacts}), as {@link diffMembers} treats a member. */
function namedMember(
  out: Record<string, unknown> | undefined,
  key: string,
  value: unknown,
  base: unknown,
): Record<string, unknown> | undefined {
  if (value === undefined || value === base) return out;
  const d = diff(value, base);
  if (d !== undefined) (out ??= {})[key] = d;
  return out;
}

function allPlainObjects(items: readonly unknown[]): boolean {
  for (const item of items) if (!isPlainObject(item)) return false;
  return true;
}

/** `base` with the difference {@link diff} gave applied. */
export function patch(base: unknown, difference: unknown): unknown {
  if (difference === undefined) return base;
  if (isPlainObject(base) && isPlainObject(difference)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, d] of Object.entries(difference)) out[key] = patch(base[key], d);
    return out;
  }
  if (Array.isArray(base) && Array.isArray(difference) && base.length === difference.length && difference.every(isPlainObject))
    return base.map((b, i) => patch(b, difference[i]));
  return difference;
}
