/**
 * Read-only collection for the recovery-path analysis: the account's authorization details
 * (all pages), its password policy, and the SCPs that apply to it (read once per target
 * from the management account and cached for the whole scan). Nothing here fails an
 * account: a denied or failing call leaves that input "unknown" with the reason.
 */
import { GetAccountPasswordPolicyCommand, paginateGetAccountAuthorizationDetails, type IAMClient } from '@aws-sdk/client-iam';
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListParentsCommand,
  paginateListPoliciesForTarget,
  paginateListRoots,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { Account } from '../../model/index.js';
import {
  fromAwsAuthorizationDetails,
  withRecoveryFacts,
  type AuthorizationDetails,
  type Collected,
  type RawAuthorizationDetails,
  type ScpLevelDetail,
  type StoredRecoveryInputs,
} from '../../core/recovery/index.js';
import { describeError, hasCode } from './errors.js';
import { NO_SUCH_ENTITY, type FactAvailability } from './context.js';
import { managementAccountOf } from './select.js';
import { allItems, pagination, untilComplete } from './pages.js';

const SCP = 'SERVICE_CONTROL_POLICY';

/** Reads GetAccountAuthorizationDetails, every page, and normalises it. */
export async function readAuthorizationDetails(iam: IAMClient): Promise<Collected<AuthorizationDetails>> {
  const merged = {
    UserDetailList: [] as unknown[],
    GroupDetailList: [] as unknown[],
    RoleDetailList: [] as unknown[],
    Policies: [] as unknown[],
  } satisfies RawAuthorizationDetails;
  try {
    for await (const page of untilComplete(paginateGetAccountAuthorizationDetails(pagination(iam), { MaxItems: 1000 }))) {
      merged.UserDetailList.push(...(page.UserDetailList ?? []));
      merged.GroupDetailList.push(...(page.GroupDetailList ?? []));
      merged.RoleDetailList.push(...(page.RoleDetailList ?? []));
      merged.Policies.push(...(page.Policies ?? []));
    }
  } catch (error) {
    return { ok: false, reason: `GetAccountAuthorizationDetails: ${describeError(error)}` };
  }
  return { ok: true, value: fromAwsAuthorizationDetails(merged) };
}

/** Reads the password policy into the `passwordPolicy` fact shape: the policy, 'none' (404) or 'unknown'. */
export async function readPasswordPolicy(iam: IAMClient): Promise<unknown> {
  return (await readPasswordPolicyWithReason(iam)).value;
}

async function readPasswordPolicyWithReason(iam: IAMClient): Promise<{ value: unknown; reason?: string }> {
  try {
    return { value: (await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy ?? 'none' };
  } catch (error) {
    return hasCode(error, NO_SUCH_ENTITY)
      ? { value: 'none' }
      : { value: 'unknown', reason: `GetAccountPasswordPolicy: ${describeError(error)}` };
  }
}

const NOT_IN_ORGANIZATION: ReadonlySet<string> = new Set(['AWSOrganizationsNotInUseException']);

/** Organizations errors meaning "no SCPs apply here" rather than "cannot tell". */
const NO_SCP_CODES: ReadonlySet<string> = new Set(['AWSOrganizationsNotInUseException', 'PolicyTypeNotEnabledException']);

/**
 * Whether SCPs are in force, from the `PolicyTypes` of the organisation's root (ListRoots):
 * `enabled`, `disabled` (no SERVICE_CONTROL_POLICY entry: SCPs were never enabled, or were
 * disabled, and then apply to nobody), or a reason why it cannot be told (PENDING_ENABLE and
 * PENDING_DISABLE are transitions: what applies is not known yet).
 */
export type ScpPolicyTypeStatus = { state: 'enabled' } | { state: 'disabled' } | { state: 'unknown'; reason: string };

/** Reads the SCP policy type status of the organisation's root; never throws. */
export async function readScpPolicyType(org: OrganizationsClient): Promise<ScpPolicyTypeStatus> {
  try {
    const roots = await allItems(paginateListRoots(pagination(org), {}), (page) => page.Roots);
    const root = roots[0];
    if (!root) return { state: 'unknown', reason: 'ListRoots returned no root' };
    const status = root.PolicyTypes?.find((t) => t.Type === SCP)?.Status;
    if (status === undefined) return { state: 'disabled' };
    if (status === 'ENABLED') return { state: 'enabled' };
    return { state: 'unknown', reason: `the SCP policy type of root ${root.Id ?? '?'} is ${status}` };
  } catch (error) {
    if (hasCode(error, NOT_IN_ORGANIZATION)) return { state: 'disabled' };
    return { state: 'unknown', reason: `ListRoots: ${describeError(error)}` };
  }
}

/**
 * Reads the SCP chain (root → OUs → account) of member accounts through the management
 * account's Organizations client. The SCP policy type status is read once (ListRoots): while
 * it is not enabled no SCP applies, whatever ListPoliciesForTarget lists (moto keeps
 * FullAWSAccess attached then). Targets and policies are cached: accounts in the same OU cost
 * one ListParents and one ListPoliciesForTarget each after the first.
 */
export class ScpReader {
  private readonly parents = new Map<string, Promise<string | undefined>>();
  private readonly attached = new Map<string, Promise<{ id: string; name: string; arn?: string }[]>>();
  private readonly contents = new Map<string, Promise<string>>();

  private management?: Promise<string | null | undefined>;
  private policyType?: Promise<ScpPolicyTypeStatus>;

  constructor(private readonly org: OrganizationsClient | undefined) {}

  /** The SCP policy type status, read once per scan. */
  scpPolicyType(): Promise<ScpPolicyTypeStatus> {
    if (!this.org) return Promise.resolve({ state: 'unknown', reason: 'the organisation cannot be read from this caller' });
    this.policyType ??= readScpPolicyType(this.org);
    return this.policyType;
  }

  /** The management account id; null when the caller is in no organisation; undefined when it cannot be read. */
  managementAccountId(): Promise<string | null | undefined> {
    if (!this.org) return Promise.resolve(undefined);
    this.management ??= this.org.send(new DescribeOrganizationCommand({})).then(
      (out) => managementAccountOf(out.Organization),
      (error: unknown) => (hasCode(error, NOT_IN_ORGANIZATION) ? null : undefined),
    );
    return this.management;
  }

  private parentOf(childId: string): Promise<string | undefined> {
    let p = this.parents.get(childId);
    if (!p) {
      p = this.org!.send(new ListParentsCommand({ ChildId: childId })).then((out) => out.Parents?.[0]?.Id);
      this.parents.set(childId, p);
    }
    return p;
  }

  private policiesOf(targetId: string): Promise<{ id: string; name: string; arn?: string }[]> {
    let p = this.attached.get(targetId);
    if (!p) {
      p = allItems(paginateListPoliciesForTarget(pagination(this.org!), { TargetId: targetId, Filter: SCP }), (page) => page.Policies).then(
        (summaries) => summaries.flatMap((s) => (s.Id ? [{ id: s.Id, name: s.Name ?? s.Id, ...(s.Arn ? { arn: s.Arn } : {}) }] : [])),
      );
      this.attached.set(targetId, p);
    }
    return p;
  }

  private contentOf(policyId: string): Promise<string> {
    let p = this.contents.get(policyId);
    if (!p) {
      p = this.org!.send(new DescribePolicyCommand({ PolicyId: policyId })).then((out) => out.Policy?.Content ?? '');
      this.contents.set(policyId, p);
    }
    return p;
  }

  /**
   * The SCP levels of an account, root first; `null` when SCPs do not apply (policy type not
   * enabled); unknown on any failure. With SCPs enabled AWS keeps at least one SCP attached to
   * the root, every OU and every account: an empty level is an anomaly (or a partial answer),
   * never "deny everything", so the chain is unknown then.
   */
  async chain(accountId: string): Promise<Collected<ScpLevelDetail[] | null>> {
    if (!this.org) return { ok: false, reason: 'the organisation cannot be read from this caller' };
    const type = await this.scpPolicyType();
    if (type.state === 'disabled') return { ok: true, value: null };
    if (type.state === 'unknown') return { ok: false, reason: `service control policies: ${type.reason}` };
    try {
      const targets = [accountId];
      for (let child = accountId; ;) {
        const parent = await this.parentOf(child);
        if (!parent) break;
        targets.unshift(parent);
        if (parent.startsWith('r-')) break;
        child = parent;
      }
      const levels: ScpLevelDetail[] = [];
      for (const target of targets) {
        const summaries = await this.policiesOf(target);
        if (summaries.length === 0) {
          return {
            ok: false,
            reason: `service control policies: none attached to ${target} although the SCP policy type is enabled (AWS requires at least one at every level)`,
          };
        }
        const policies = await Promise.all(summaries.map(async (s) => ({ ...s, document: await this.contentOf(s.id) })));
        levels.push({ target, policies });
      }
      return { ok: true, value: levels };
    } catch (error) {
      if (hasCode(error, NO_SCP_CODES)) return { ok: true, value: null };
      return { ok: false, reason: `service control policies: ${describeError(error)}` };
    }
  }
}

/**
 * Availability of the recovery facts (`recovery`, `recoveryInputs`, `passwordPolicy`) of an
 * account collected by collectRecovery. Without the authorization details, or without the
 * password policy (HardExpiry and AllowUsersToChangePassword decide lock-outs), the recovery
 * rules cannot be decided there. Unreadable SCPs keep them decided: SCPs only restrict, so
 * "no path" stays certain and paths found are marked conditional.
 */
export function recoveryAvailability(account: Account, passwordPolicyReason?: string): FactAvailability {
  const stored = account.facts?.recoveryInputs as StoredRecoveryInputs | undefined;
  const unavailable: Record<string, string> = {};
  if (!stored) return { collected: [], unavailable };
  const policy = account.facts?.passwordPolicy;
  const policyKnown = policy !== undefined && policy !== 'unknown';
  if (!policyKnown) unavailable.passwordPolicy = passwordPolicyReason ?? 'GetAccountPasswordPolicy: no answer';
  const why = !stored.authorization.ok ? stored.authorization.reason : !policyKnown ? unavailable.passwordPolicy : undefined;
  if (why !== undefined) {
    unavailable.recovery = why;
    unavailable.recoveryInputs = why;
  }
  return { collected: ['recovery', 'recoveryInputs', 'passwordPolicy'].filter((root) => !(root in unavailable)), unavailable };
}

/**
 * Collects the recovery inputs of one account with its own IAM client and attaches the
 * analysis as facts: `account.facts.recoveryInputs` (kept so that snapshots can be explained
 * later), `account.facts.recovery`, and `facts.recovery` on every IAM user.
 * `managementAccountId`: when the caller already knows it; otherwise it is read once.
 * Returns the account and the availability of the facts it added.
 */
export async function collectRecoveryWithAvailability(
  account: Account,
  iam: IAMClient,
  scps: ScpReader,
  managementAccountId?: string,
): Promise<{ account: Account; availability: FactAvailability }> {
  const facts = { ...account.facts };
  const management = managementAccountId ?? (await scps.managementAccountId());
  const isManagementAccount = management === account.id;
  // SCPs never restrict the management account, and do not exist outside an organisation.
  const noScps = isManagementAccount || management === null;
  const known = facts.passwordPolicy !== undefined && facts.passwordPolicy !== 'unknown';
  const [authorization, policy, chain] = await Promise.all([
    readAuthorizationDetails(iam),
    known ? Promise.resolve<{ value: unknown; reason?: string }>({ value: facts.passwordPolicy }) : readPasswordPolicyWithReason(iam),
    noScps ? Promise.resolve<Collected<ScpLevelDetail[] | null>>({ ok: true, value: null }) : scps.chain(account.id),
  ]);
  const recoveryInputs: StoredRecoveryInputs = {
    authorization,
    scps: chain,
    isManagementAccount,
    ...(typeof management === 'string' ? { managementAccountId: management } : {}),
  };
  const analysed = withRecoveryFacts({ ...account, facts: { ...facts, passwordPolicy: policy.value, recoveryInputs } });
  return { account: analysed, availability: recoveryAvailability(analysed, policy.reason) };
}

/** collectRecoveryWithAvailability, returning only the account. */
export async function collectRecovery(account: Account, iam: IAMClient, scps: ScpReader, managementAccountId?: string): Promise<Account> {
  return (await collectRecoveryWithAvailability(account, iam, scps, managementAccountId)).account;
}
