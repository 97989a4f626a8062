/**
 * Account selection: which accounts of the organisation to scan, with their names and
 * OU paths, and which to skip (suspended, closing, closed) without touching them.
 */
import {
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListRoots,
  type Account as OrgAccount,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { AccountOutcome, Diagnostic } from '../../model/index.js';
import { InputError } from '../../model/index.js';
import { describeError, isAccessDenied } from './errors.js';
import type { AccountSelection } from './options.js';
import { allItems, pagination } from './pages.js';

/**
 * The management account id of DescribeOrganization's answer: MasterAccountId, else the last
 * segment of MasterAccountArn (`arn:aws:organizations::ID:account/o-…/ID`).
 */
export function managementAccountOf(organization: { MasterAccountId?: string; MasterAccountArn?: string } | undefined): string | undefined {
  if (organization?.MasterAccountId) return organization.MasterAccountId;
  const fromArn = /:account\/o-[a-z0-9]+\/(\d{12})$/.exec(organization?.MasterAccountArn ?? '');
  return fromArn?.[1];
}

/** An account to scan. */
export interface AccountTarget {
  id: string;
  name?: string;
  ouPath?: string;
}

/** The outcome of selection. */
export interface Selection {
  targets: AccountTarget[];
  /** Selected accounts that are not active: never touched. */
  skipped: AccountOutcome[];
  /** Non-fatal problems (e.g. OU paths unavailable). */
  warnings: string[];
}

/** Where an account sits in the organisation tree. */
interface Placement {
  ouPath: string;
  /** Ids of the root and every OU above the account. */
  ancestors: string[];
  account: OrgAccount;
}

const INACTIVE = new Set(['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED', 'PENDING_ACTIVATION']);

/** Why an account must not be touched (its Status or State is not ACTIVE), or undefined. */
export function inactiveReason(account: Pick<OrgAccount, 'Status' | 'State'>): string | undefined {
  const state = account.State as string | undefined;
  const status = account.Status as string | undefined;
  if (state !== undefined && INACTIVE.has(state)) return `account state is ${state}`;
  if (status !== undefined && INACTIVE.has(status)) return `account status is ${status}`;
  return undefined;
}

/** Every account of the organisation (ListAccounts, all pages). */
export async function listOrganizationAccounts(org: OrganizationsClient): Promise<OrgAccount[]> {
  return allItems(paginateListAccounts(pagination(org), {}), (page) => page.Accounts);
}

/**
 * Walks the OU tree from the root: each account's OU path and ancestors. `onAccount`, when
 * given, receives each account with its OU path as soon as its page arrives: the subtrees are
 * walked in parallel, so the accounts of an organisation come in much faster than through
 * ListAccounts' one sequential chain of 20-account pages.
 */
export async function walkOrganization(
  org: OrganizationsClient,
  onAccount?: (account: OrgAccount, ouPath: string) => void,
): Promise<Map<string, Placement>> {
  const roots = await allItems(paginateListRoots(pagination(org), {}), (page) => page.Roots);
  const placements = new Map<string, Placement>();
  const placeAll = async (parentId: string, path: string, ancestors: string[]) => {
    for await (const page of paginateListAccountsForParent(pagination(org), { ParentId: parentId })) {
      for (const account of page.Accounts ?? []) {
        if (!account.Id) continue;
        placements.set(account.Id, { ouPath: path, ancestors, account });
        onAccount?.(account, path);
      }
    }
  };
  const visit = async (parentId: string, path: string, ancestors: string[]): Promise<void> => {
    const [units] = await Promise.all([
      allItems(paginateListOrganizationalUnitsForParent(pagination(org), { ParentId: parentId }), (page) => page.OrganizationalUnits),
      placeAll(parentId, path, ancestors),
    ]);
    await Promise.all(units.map((unit) => visit(unit.Id ?? '', `${path}/${unit.Name ?? unit.Id}`, [...ancestors, unit.Id ?? ''])));
  };
  await Promise.all(roots.map((root) => visit(root.Id ?? '', root.Name ?? 'Root', [root.Id ?? ''])));
  return placements;
}

function unknownIds(ids: readonly string[], known: ReadonlySet<string>, what: string): Diagnostic[] {
  return ids
    .filter((id) => !known.has(id))
    .map((id) => ({
      severity: 'error' as const,
      file: what,
      message: `account ${id} is not in the organisation`,
      suggestion: 'check the id, or drop it',
    }));
}

/**
 * Resolves a selection into targets and skipped accounts.
 * @param callerAccountId the caller's own account (mode `caller`)
 * @throws InputError for account ids or OUs that are not in the organisation
 */
export async function selectAccounts(org: OrganizationsClient, selection: AccountSelection, callerAccountId: string): Promise<Selection> {
  if (selection.mode === 'caller') return { targets: [{ id: callerAccountId }], skipped: [], warnings: [] };
  const warnings: string[] = [];
  const wanted = selection.accounts && selection.accounts.length > 0 ? new Set(selection.accounts) : undefined;
  const excluded = new Set(selection.exclude ?? []);
  const ous = selection.organizationalUnits ?? [];

  // The account list and the OU tree are independent: read them in parallel.
  const walk = walkOrganization(org).then(
    (placements) => ({ placements }),
    (error: unknown) => ({ error }),
  );
  let listed: OrgAccount[];
  try {
    listed = await listOrganizationAccounts(org);
  } catch (error) {
    await walk;
    if (selection.mode === 'org' || ous.length > 0) throw error;
    // `--accounts` without Organizations access: scan the ids as given.
    warnings.push(`cannot list the organisation (${describeError(error)}); account ids are not checked and names are unknown`);
    const targets = [...(wanted ?? [])].filter((id) => !excluded.has(id)).map((id) => ({ id }));
    return { targets, skipped: [], warnings };
  }

  const walked = await walk;
  if ('error' in walked) {
    if (ous.length > 0) throw walked.error;
    warnings.push(ouWarning(walked.error));
  }
  const placements = 'placements' in walked ? walked.placements : undefined;

  const knownIds = new Set(listed.map((a) => a.Id ?? ''));
  const diagnostics = [
    ...unknownIds([...(wanted ?? [])], knownIds, '--accounts'),
    ...unknownIds([...excluded], knownIds, '--exclude-accounts'),
  ];
  if (placements && ous.length > 0) {
    const knownOus = new Set([...placements.values()].flatMap((p) => p.ancestors));
    for (const ou of ous) {
      if (!knownOus.has(ou))
        diagnostics.push({ severity: 'error', file: '--ou', message: `OU ${ou} has no accounts or is not in the organisation` });
    }
  }
  if (diagnostics.length > 0) throw new InputError(diagnostics, 'invalid account selection');

  const selection2: Selection = { targets: [], skipped: [], warnings };
  for (const account of listed) {
    const id = account.Id ?? '';
    if (excluded.has(id) || (wanted && !wanted.has(id))) continue;
    const placement = placements?.get(id);
    if (ous.length > 0 && !ous.some((ou) => placement?.ancestors.includes(ou))) continue;
    const target: AccountTarget = {
      id,
      ...(account.Name ? { name: account.Name } : {}),
      ...(placement ? { ouPath: placement.ouPath } : {}),
    };
    const reason = inactiveReason(account);
    if (reason) selection2.skipped.push({ ...target, status: 'skipped', reason });
    else selection2.targets.push(target);
  }
  return selection2;
}

function ouWarning(error: unknown): string {
  return `OU paths are unknown: ${isAccessDenied(error) ? 'no permission to list OUs' : describeError(error)}`;
}

/** An account of the organisation as listed, with the reason it is skipped (if inactive). */
export interface ListedAccount {
  target: AccountTarget;
  skipReason?: string;
}

/**
 * Plain `--org` (no filter to validate first): hands each account over as soon as it is known,
 * with its OU path, so scanning overlaps listing. Accounts come from the walk of the OU tree
 * (ListAccountsForParent, every subtree in parallel). ListAccounts runs beside it as the
 * authority: an account it lists that the walk did not place (moved during the walk, or every
 * account when the tree cannot be walked) is handed over once the walk has ended, without an
 * OU path. Each account is handed over once.
 * @returns the number of accounts, and a warning when the tree could not be walked
 */
export async function streamOrganization(
  org: OrganizationsClient,
  onAccount: (account: ListedAccount) => void,
): Promise<{ count: number; warning?: string }> {
  const handedOver = new Set<string>();
  const handOver = (account: OrgAccount, ouPath?: string) => {
    const id = account.Id;
    if (!id || handedOver.has(id)) return;
    handedOver.add(id);
    const reason = inactiveReason(account);
    onAccount({
      target: { id, ...(account.Name ? { name: account.Name } : {}), ...(ouPath !== undefined ? { ouPath } : {}) },
      ...(reason ? { skipReason: reason } : {}),
    });
  };
  // Listed before the walk has ended: the walk may still place them (with their OU path).
  let unplaced: OrgAccount[] | undefined = [];
  const walked = walkOrganization(org, handOver).then(
    () => undefined,
    (error: unknown) => ouWarning(error),
  );
  const listed = (async () => {
    for await (const page of paginateListAccounts(pagination(org), {})) {
      for (const account of page.Accounts ?? []) {
        if (unplaced) unplaced.push(account);
        else handOver(account);
      }
    }
  })();
  // A failed listing fails the scan at once, without waiting for the walk.
  const warning = await Promise.race([walked, listed.then(() => walked)]);
  const leftOver = unplaced;
  unplaced = undefined;
  for (const account of leftOver) handOver(account);
  await listed;
  return { count: handedOver.size, ...(warning !== undefined ? { warning } : {}) };
}
