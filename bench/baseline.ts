/**
 * The benchmark baseline: the rules of the `recommended` pack written by hand as plain
 * functions over the parsed model, with no rule language, closures or frames. It builds
 * the same findings (same order, messages, evidence and fingerprints) as the engine, so
 * the offline scenario can compare the two on the same data and check they agree.
 * Not shipped; kept in step with rules/*.yaml by test/bench/smoke.test.ts.
 */
import type { AccessKey, Account, Certificate, Credential, Finding, Principal } from '../src/model/index.js';
import { fingerprint } from '../src/core/engine/evaluate.js';
import type { CompiledRule, Ruleset } from '../src/core/rules/ruleset.js';

const DAY_MS = 86_400_000;

/** What every hand-written rule receives. */
interface Ctx {
  account: Account;
  asOfMs: number;
  rule: CompiledRule;
  emit: Emit;
}

/** Per-principal times, computed once and shared by the rules (what a careful hand-written scanner does). */
interface Times {
  keyAge: (number | null)[];
  keyUsedAgo: (number | null)[];
}

type RuleFn = (p: Principal, t: Times, ctx: Ctx) => void;

/** The plan: the enabled hand-written rules in the engine's (id) order, for users and for root. */
export interface BaselinePlan {
  user: [RuleFn, CompiledRule][];
  root: [RuleFn, CompiledRule][];
}

/**
 * Pairs every rule of the ruleset with its hand-written function.
 * @throws when the ruleset has a rule the baseline does not implement
 */
export function baselinePlan(ruleset: Ruleset): BaselinePlan {
  const missing = ruleset.rules.filter((rule) => !(rule.id in RULES)).map((rule) => rule.id);
  if (missing.length > 0)
    throw new Error(`the benchmark baseline has no hand-written version of: ${missing.join(', ')} (add it to bench/baseline.ts)`);
  const plan: BaselinePlan = { user: [], root: [] };
  for (const rule of ruleset.rules) {
    const fn = RULES[rule.id] as RuleFn;
    if (rule.appliesTo.has('user')) plan.user.push([fn, rule]);
    if (rule.appliesTo.has('root')) plan.root.push([fn, rule]);
  }
  return plan;
}

function ms(time: string | null): number | null {
  return time === null ? null : Date.parse(time);
}

function ago(timeMs: number | null, asOfMs: number): number | null {
  return timeMs === null ? null : (asOfMs - timeMs) / DAY_MS;
}

/** How the engine prints a value into a message. */
function show(value: unknown): string {
  if (value === null || value === undefined) return 'n/a';
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Math.floor(value));
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** How the engine stores a value as evidence. */
function ev(value: unknown): unknown {
  if (typeof value === 'number' && !Number.isInteger(value)) return Math.round(value * 100) / 100;
  return value ?? null;
}

function gt(value: number | null, limit: number): boolean {
  return value !== null && !Number.isNaN(value) && value > limit;
}

function gte(value: number | null, limit: number): boolean {
  return value !== null && !Number.isNaN(value) && value >= limit;
}

function inUse(slot: AccessKey | Certificate): boolean {
  return slot.active || slot.lastRotated !== null;
}

function keyLabel(key: AccessKey): Credential {
  return key.slot === 1 ? 'access_key_1' : 'access_key_2';
}

/** Evaluates the ruleset's rules by hand over one account; the same findings as the engine. */
export function baselineEvaluate(account: Account, plan: BaselinePlan, asOfMs: number): Finding[] {
  const findings: Finding[] = [];
  const emit: Emit = (rule, principal, credential, message, evidence) => {
    findings.push({
      ruleId: rule.id,
      title: rule.title,
      severity: rule.severity,
      accountId: account.id,
      accountName: account.name ?? null,
      ouPath: account.ouPath ?? null,
      principal: { type: principal.type, name: principal.name, arn: principal.arn },
      credential,
      message,
      evidence,
      frameworks: rule.frameworks,
      remediation: { procedure: rule.procedure },
      status: 'open',
      fingerprint: fingerprint(rule.id, account.id, principal, credential),
    });
  };
  const ctx = { account, asOfMs, emit } as Ctx;
  for (const p of account.principals) {
    const times: Times = {
      keyAge: p.accessKeys.map((k) => ago(ms(k.lastRotated), asOfMs)),
      keyUsedAgo: p.accessKeys.map((k) => ago(ms(k.lastUsed), asOfMs)),
    };
    for (const [fn, rule] of p.type === 'root' ? plan.root : plan.user) {
      ctx.rule = rule;
      fn(p, times, ctx);
    }
  }
  return findings;
}

type Emit = (rule: CompiledRule, principal: Principal, credential: Credential, message: string, evidence: Record<string, unknown>) => void;

function param(ctx: Ctx, name: string): number {
  return ctx.rule.params[name] as number;
}

/** Reads a collector fact such as facts.recovery.password.hasPath; null when absent. */
function fact(root: unknown, ...path: string[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return null;
    node = (node as Record<string, unknown>)[segment];
  }
  return node ?? null;
}

const RULES: Record<string, RuleFn> = {
  'access-key-not-rotated'(p, t, ctx) {
    const maxAge = param(ctx, 'maxAgeDays');
    p.accessKeys.forEach((k, i) => {
      if (!inUse(k) || !k.active || !gt(t.keyAge[i] ?? null, maxAge)) return;
      ctx.emit(
        ctx.rule,
        p,
        keyLabel(k),
        `${p.name}'s ${keyLabel(k)} is ${show(t.keyAge[i])} days old (limit ${maxAge}; last used: ${show(k.lastUsed)})`,
        {
          'key.active': k.active,
          'key.lastRotated': k.lastRotated,
          'key.ageDays': ev(t.keyAge[i] ?? null),
          'key.lastUsed': k.lastUsed,
          'key.lastUsedDaysAgo': ev(t.keyUsedAgo[i] ?? null),
          'key.lastUsedService': k.lastUsedService,
        },
      );
    });
  },

  'access-key-unused-since-setup'(p, t, ctx) {
    p.accessKeys.forEach((k, i) => {
      if (!inUse(k) || p.password.enabled !== true || !k.active || k.lastUsed !== null) return;
      ctx.emit(
        ctx.rule,
        p,
        keyLabel(k),
        `Console user ${p.name} has active access key ${keyLabel(k)}, created ${show(t.keyAge[i])} days ago and never used`,
        {
          'password.enabled': p.password.enabled,
          'key.active': k.active,
          'key.lastRotated': k.lastRotated,
          'key.ageDays': ev(t.keyAge[i] ?? null),
          'key.lastUsed': k.lastUsed,
        },
      );
    });
  },

  'console-user-without-mfa'(p, _t, ctx) {
    if (p.password.enabled !== true || p.mfaActive !== false) return;
    ctx.emit(
      ctx.rule,
      p,
      'password',
      `${p.name} can sign in to the console without MFA (password last used: ${show(p.password.lastUsed)})`,
      {
        'password.enabled': p.password.enabled,
        'principal.mfaActive': p.mfaActive,
        'password.lastUsed': p.password.lastUsed,
      },
    );
  },

  'inactive-access-key'(p, _t, ctx) {
    const limit = param(ctx, 'maxInactiveDays');
    for (const k of p.accessKeys) {
      if (!inUse(k) || k.active) continue;
      const idle = ago(ms(k.lastUsed ?? k.lastRotated), ctx.asOfMs);
      if (!gt(idle, limit)) continue;
      ctx.emit(ctx.rule, p, keyLabel(k), `${p.name}'s ${keyLabel(k)} is inactive and unused for ${show(idle)} days: delete it`, {
        'key.active': k.active,
        'key.lastRotated': k.lastRotated,
        'key.lastUsed': k.lastUsed,
        'key.daysSinceLastActivity': ev(idle),
      });
    }
  },

  'no-recovery-path'(p, _t, ctx) {
    const recovery = fact(p.facts, 'recovery');
    for (const c of credentials(p)) {
      const which = c.id === 'password' ? 'password' : 'accessKeys';
      if (c.enabled !== true || fact(recovery, which, 'hasPath') !== false || fact(recovery, which, 'unknown') !== false) continue;
      ctx.emit(
        ctx.rule,
        p,
        c.id,
        `Nobody but root can replace ${p.name}'s ${c.id} if it is lost (root fallback: password ${show(fact(recovery, 'password', 'rootFallback'))}, keys ${show(fact(recovery, 'accessKeys', 'rootFallback'))})`,
        {
          'facts.recovery.password.hasPath': fact(recovery, 'password', 'hasPath'),
          'facts.recovery.password.rootOnly': fact(recovery, 'password', 'rootOnly'),
          'facts.recovery.password.rootFallback': fact(recovery, 'password', 'rootFallback'),
          'facts.recovery.accessKeys.hasPath': fact(recovery, 'accessKeys', 'hasPath'),
          'facts.recovery.accessKeys.rootOnly': fact(recovery, 'accessKeys', 'rootOnly'),
          'facts.recovery.accessKeys.rootFallback': fact(recovery, 'accessKeys', 'rootFallback'),
        },
      );
    }
  },

  'old-signing-certificate'(p, _t, ctx) {
    const limit = param(ctx, 'maxAgeDays');
    for (const c of p.certificates) {
      if (!inUse(c) || !c.active) continue;
      const age = ago(ms(c.lastRotated), ctx.asOfMs);
      if (!gt(age, limit)) continue;
      const label: Credential = c.slot === 1 ? 'cert_1' : 'cert_2';
      ctx.emit(ctx.rule, p, label, `${p.name}'s signing certificate ${label} is ${show(age)} days old (limit ${limit})`, {
        'cert.active': c.active,
        'cert.lastRotated': c.lastRotated,
        'cert.ageDays': ev(age),
      });
    }
  },

  'password-hard-expiry-lockout'(p, _t, ctx) {
    if (p.password.enabled !== true || fact(p.facts, 'recovery', 'password', 'hardExpiryLockout') !== true) return;
    const until = ago(ms(p.password.nextRotation), ctx.asOfMs);
    const inDays = until === null ? null : -until;
    ctx.emit(
      ctx.rule,
      p,
      'password',
      `${p.name} will be locked out when the password expires (in ${show(inDays)} days): HardExpiry is on and no administrator can reset it`,
      {
        'password.nextRotationInDays': ev(inDays),
        'facts.recovery.password.hardExpiry': ev(fact(p.facts, 'recovery', 'password', 'hardExpiry')),
        'facts.recovery.password.administrators': fact(p.facts, 'recovery', 'password', 'administrators'),
      },
    );
  },

  'root-access-key-exists'(p, t, ctx) {
    p.accessKeys.forEach((k, i) => {
      // Any root key that exists fails, active or not (iam-root-access-key-check, CIS).
      if (!inUse(k)) return;
      ctx.emit(
        ctx.rule,
        p,
        keyLabel(k),
        `Root user has access key ${keyLabel(k)} (active: ${show(k.active)}; created ${show(t.keyAge[i])} days ago, last used: ${show(k.lastUsed)})`,
        {
          'key.inUse': true,
          'key.active': k.active,
          'key.lastRotated': k.lastRotated,
          'key.ageDays': ev(t.keyAge[i] ?? null),
          'key.lastUsed': k.lastUsed,
          'key.lastUsedService': k.lastUsedService,
        },
      );
    });
  },

  'root-mfa-disabled'(p, _t, ctx) {
    if (p.mfaActive !== false) return;
    ctx.emit(ctx.rule, p, null, `Root user of account ${ctx.account.id} has no MFA device`, {
      'principal.mfaActive': p.mfaActive,
      'password.lastUsed': p.password.lastUsed,
    });
  },

  'root-used-recently'(p, _t, ctx) {
    const window = param(ctx, 'withinDays');
    for (const c of credentials(p)) {
      const usedAgo = ago(ms(c.lastUsed), ctx.asOfMs);
      if (usedAgo === null || Number.isNaN(usedAgo) || usedAgo > window || usedAgo < 0) continue;
      ctx.emit(ctx.rule, p, c.id, `Root user's ${c.id} was used ${show(usedAgo)} days ago (window ${window} days)`, {
        'credential.id': c.id,
        'credential.lastUsed': c.lastUsed,
        'credential.lastUsedDaysAgo': ev(usedAgo),
      });
    }
  },

  'single-administrator'(p, _t, ctx) {
    const accountRecovery = fact(ctx.account.facts, 'recovery');
    const sole = fact(p.facts, 'recovery', 'soleAdministrator') === true;
    if (!sole && !(p.type === 'root' && fact(accountRecovery, 'soleAdministratorKind') === 'role')) return;
    ctx.emit(
      ctx.rule,
      p,
      null,
      `${show(fact(accountRecovery, 'soleAdministrator'))} is the only principal in account ${ctx.account.id} that can reset other users' credentials`,
      {
        'account.facts.recovery.soleAdministrator': fact(accountRecovery, 'soleAdministrator'),
        'account.facts.recovery.administratorCount': fact(accountRecovery, 'administratorCount'),
      },
    );
  },

  'two-active-access-keys'(p, t, ctx) {
    const grace = param(ctx, 'graceDays');
    if (!p.accessKeys.every((k, i) => k.active && gt(t.keyAge[i] ?? null, grace))) return;
    ctx.emit(ctx.rule, p, null, `${p.name} has two active access keys for more than ${grace} days: finish the rotation`, {
      'principal.name': p.name,
    });
  },

  'unused-credentials'(p, _t, ctx) {
    const limit = param(ctx, 'maxUnusedDays');
    for (const c of credentials(p)) {
      if (c.enabled !== true) continue;
      const idle = ago(ms(c.lastUsed ?? c.setAt ?? p.createdAt), ctx.asOfMs);
      // CIS: "45 days or more".
      if (!gte(idle, limit)) continue;
      ctx.emit(
        ctx.rule,
        p,
        c.id,
        `${p.name}'s ${c.id} has not been used for ${show(idle)} days (limit ${limit}; last used: ${show(c.lastUsed)})`,
        {
          'credential.id': c.id,
          'credential.enabled': c.enabled,
          'credential.lastUsed': c.lastUsed,
          'credential.ageDays': ev(ago(ms(c.setAt), ctx.asOfMs)),
          'credential.daysSinceLastActivity': ev(idle),
        },
      );
    }
  },
};

/** The password and the keys in use, as (label, enabled, set at, last used). */
function credentials(
  p: Principal,
): { id: 'password' | 'access_key_1' | 'access_key_2'; enabled: boolean | null; setAt: string | null; lastUsed: string | null }[] {
  const list: ReturnType<typeof credentials> = [
    { id: 'password', enabled: p.password.enabled, setAt: p.password.lastChanged ?? p.createdAt, lastUsed: p.password.lastUsed },
  ];
  for (const k of p.accessKeys) {
    if (inUse(k))
      list.push({ id: k.slot === 1 ? 'access_key_1' : 'access_key_2', enabled: k.active, setAt: k.lastRotated, lastUsed: k.lastUsed });
  }
  return list;
}
