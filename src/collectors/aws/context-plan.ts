/**
 * The parts of the account context that need no AWS call (and no AWS SDK): which calls an
 * account's context needs, the facts its report alone decides, and which fact roots are then
 * collected. The main thread loads this module to finish an account whose report the collection
 * thread handed over unparsed (./fetched.ts), without loading the SDK; ./context.ts makes the calls.
 */
import type { Account, Principal } from '../../model/index.js';
import type { ContextMode, ContextNeeds } from './options.js';

/** The value of a fact that could not be read. */
export const UNKNOWN = 'unknown';

/** Which calls to make for one account. */
export interface ContextPlan {
  summary: boolean;
  mfaDevices: boolean;
  passwordPolicy: boolean;
}

/**
 * Plans the context calls of one account. `auto` keeps the fresh-report path at two calls
 * unless a call can change a finding: the MFA device list only when root has MFA and a rule
 * reads rootMfa; the summary only when the organisation manages root credentials centrally
 * and the root user has no MFA (it can clear the root-MFA finding) or a rule reads it.
 */
export function planContext(
  mode: ContextMode,
  needs: ContextNeeds,
  root: Principal | undefined,
  centralRoot: boolean | typeof UNKNOWN,
  isMember: boolean,
): ContextPlan {
  return planForRootMfa(mode, needs, root?.mfaActive === true, centralRoot, isMember);
}

/** {@link planContext} for a root whose MFA is `rootMfa` (false also when the report has no root row). */
function planForRootMfa(
  mode: ContextMode,
  needs: ContextNeeds,
  rootMfa: boolean,
  centralRoot: boolean | typeof UNKNOWN,
  isMember: boolean,
): ContextPlan {
  if (mode === 'none') return { summary: false, mfaDevices: false, passwordPolicy: false };
  if (mode === 'all') return { summary: true, mfaDevices: true, passwordPolicy: true };
  return {
    // Centrally managed member accounts: whether root has credentials (MFA rules) or still a password (recovery rules).
    summary: needs.summary || (centralRoot === true && isMember && (!rootMfa || needs.recovery === true)),
    mfaDevices: needs.rootMfa && rootMfa,
    passwordPolicy: needs.passwordPolicy,
  };
}

/** Whether a plan makes any call. */
function callsAny(plan: ContextPlan): boolean {
  return plan.summary || plan.mfaDevices || plan.passwordPolicy;
}

/**
 * The plan of an account whose context needs no call, else undefined: no call for a root with
 * MFA `rootMfa` (false also for a report without root row), or whatever its root when
 * `rootMfa` is not known. Such an account's report decides nothing the collector still has to
 * ask AWS, so it may be parsed later, by the thread that processes the account (./fetched.ts).
 */
export function planWithoutCalls(
  mode: ContextMode,
  needs: ContextNeeds,
  centralRoot: boolean | typeof UNKNOWN,
  isMember: boolean,
  rootMfa?: boolean,
): ContextPlan | undefined {
  const plans = (rootMfa === undefined ? [false, true] : [rootMfa]).map((mfa) => planForRootMfa(mode, needs, mfa, centralRoot, isMember));
  return plans.some(callsAny) ? undefined : plans[0];
}

type Facts = Record<string, unknown>;

/** The context facts before any call: only what the report's root row says (root without MFA). */
export function factsBeforeCalls(root: Principal | undefined): Facts {
  return {
    rootMfa: root && !root.mfaActive ? 'none' : UNKNOWN,
    accountSummary: UNKNOWN,
    rootCredentialsPresent: UNKNOWN,
    passwordPolicy: UNKNOWN,
  };
}

/**
 * Which fact roots an account's facts decide (`factsCollected`) and why others could not be
 * read (`factsUnavailable`): the fact-availability contract of docs/architecture.md. A rule that
 * reads a root is evaluated in the account only when the root is collected.
 */
export interface FactAvailability {
  collected: string[];
  unavailable: Record<string, string>;
}

/** The reason an operation failed, from `contextUnknown` (`Operation: reason`). */
function failureOf(facts: Facts, operation: string): string | undefined {
  const list = Array.isArray(facts.contextUnknown) ? (facts.contextUnknown as string[]) : [];
  return list.find((entry) => entry.startsWith(`${operation}: `));
}

/**
 * Availability of the account-context facts that readAccountContext and the organisation
 * features wrote. A root is collected when its value is decided, and also when `auto` skipped the
 * call because the answer could not change a finding (rootCredentialsPresent outside centrally
 * managed member accounts whose root lacks MFA). Roots nobody asked for are not listed.
 */
export function contextAvailability(
  mode: ContextMode,
  plan: ContextPlan,
  facts: Facts,
  root: Principal | undefined,
  organizationUnknown?: string,
): FactAvailability {
  const out: FactAvailability = { collected: [], unavailable: {} };
  const decided = (name: string, ok: boolean, why: () => string | undefined) => {
    if (ok) out.collected.push(name);
    else {
      const reason = why();
      if (reason !== undefined) out.unavailable[name] = reason;
    }
  };
  const noRoot = 'the credential report has no root user row';
  decided('rootMfa', facts.rootMfa !== UNKNOWN, () =>
    !root ? noRoot : plan.mfaDevices ? (failureOf(facts, 'ListVirtualMFADevices') ?? 'ListVirtualMFADevices: no answer') : undefined,
  );
  decided('accountSummary', facts.accountSummary !== UNKNOWN, () =>
    plan.summary ? (failureOf(facts, 'GetAccountSummary') ?? 'GetAccountSummary: no answer') : undefined,
  );
  const skippedSummary = mode === 'auto' && !plan.summary;
  decided('rootCredentialsPresent', facts.rootCredentialsPresent !== UNKNOWN || skippedSummary, () =>
    plan.summary
      ? (failureOf(facts, 'GetAccountSummary') ?? 'GetAccountSummary: the root credential keys are missing from the SummaryMap')
      : undefined,
  );
  decided('rootPasswordPresent', typeof facts.rootPasswordPresent === 'boolean' || skippedSummary, () =>
    plan.summary
      ? (failureOf(facts, 'GetAccountSummary') ?? 'GetAccountSummary: AccountPasswordPresent is missing from the SummaryMap')
      : undefined,
  );
  decided('passwordPolicy', facts.passwordPolicy !== UNKNOWN, () =>
    plan.passwordPolicy ? (failureOf(facts, 'GetAccountPasswordPolicy') ?? 'GetAccountPasswordPolicy: no answer') : undefined,
  );
  const orgReason = () =>
    organizationUnknown ?? (mode === 'none' ? 'not collected (--account-context none)' : 'ListOrganizationsFeatures: not answered');
  decided('rootCredentialsManagement', typeof facts.rootCredentialsManagement === 'boolean', orgReason);
  decided('rootSessions', typeof facts.rootSessions === 'boolean', orgReason);
  return out;
}

/** Merges availability into an account: a root unavailable for any reason is not collected. */
export function withAvailability(account: Account, ...parts: FactAvailability[]): Account {
  const unavailable: Record<string, string> = {};
  for (const part of parts) Object.assign(unavailable, part.unavailable);
  const collected = new Set(parts.flatMap((p) => p.collected));
  for (const name of Object.keys(unavailable)) collected.delete(name);
  return {
    ...account,
    factsCollected: [...collected].sort(),
    ...(Object.keys(unavailable).length > 0 ? { factsUnavailable: unavailable } : {}),
  };
}
