import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/model/index.js';
import {
  inactiveReason,
  managementAccountOf,
  selectAccounts,
  streamOrganization,
  type ListedAccount,
} from '../../../src/collectors/aws/select.js';
import { awsError } from './helpers.js';

const orgMock = mockClient(OrganizationsClient);
const account = (Id: string, Name: string, extra: Record<string, string> = {}) => ({
  Id,
  Name,
  Status: 'ACTIVE' as const,
  State: 'ACTIVE' as const,
  ...extra,
});
const accounts = {
  mgmt: account('111111111111', 'management'),
  prod: account('222222222222', 'payments-prod'),
  dev: account('333333333333', 'data-dev'),
  gone: account('444444444444', 'old-sandbox', { Status: 'SUSPENDED', State: 'SUSPENDED' }),
  closed: account('555555555555', 'closed-one', { Status: 'ACTIVE', State: 'CLOSED' }),
};

beforeEach(() => {
  // Three pages, the middle one empty: pagination must continue until NextToken is absent.
  orgMock
    .on(ListAccountsCommand)
    .resolves({ Accounts: [accounts.mgmt, accounts.prod], NextToken: 'p2' })
    .on(ListAccountsCommand, { NextToken: 'p2' })
    .resolves({ Accounts: [], NextToken: 'p3' })
    .on(ListAccountsCommand, { NextToken: 'p3' })
    .resolves({ Accounts: [accounts.dev, accounts.gone, accounts.closed] });
  orgMock.on(ListRootsCommand).resolves({ Roots: [{ Id: 'r-abcd', Name: 'Root' }] });
  orgMock.on(ListOrganizationalUnitsForParentCommand).resolves({ OrganizationalUnits: [] });
  orgMock
    .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'r-abcd' })
    .resolves({ OrganizationalUnits: [{ Id: 'ou-abcd-work', Name: 'Workloads' }] });
  orgMock
    .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-abcd-work' })
    .resolves({ OrganizationalUnits: [{ Id: 'ou-abcd-prod', Name: 'Prod' }] });
  orgMock.on(ListAccountsForParentCommand).resolves({ Accounts: [] });
  orgMock.on(ListAccountsForParentCommand, { ParentId: 'r-abcd' }).resolves({ Accounts: [accounts.mgmt, accounts.gone, accounts.closed] });
  orgMock.on(ListAccountsForParentCommand, { ParentId: 'ou-abcd-work' }).resolves({ Accounts: [accounts.dev] });
  orgMock.on(ListAccountsForParentCommand, { ParentId: 'ou-abcd-prod' }).resolves({ Accounts: [], NextToken: 'more' });
  orgMock.on(ListAccountsForParentCommand, { ParentId: 'ou-abcd-prod', NextToken: 'more' }).resolves({ Accounts: [accounts.prod] });
});
afterEach(() => orgMock.reset());

const org = () => new OrganizationsClient({});

describe('selectAccounts', () => {
  it('--org: every page, names and OU paths, inactive accounts skipped with the reason', async () => {
    const selection = await selectAccounts(org(), { mode: 'org' }, '111111111111');
    expect(selection.targets).toEqual([
      { id: '111111111111', name: 'management', ouPath: 'Root' },
      { id: '222222222222', name: 'payments-prod', ouPath: 'Root/Workloads/Prod' },
      { id: '333333333333', name: 'data-dev', ouPath: 'Root/Workloads' },
    ]);
    expect(selection.skipped).toEqual([
      { id: '444444444444', name: 'old-sandbox', ouPath: 'Root', status: 'skipped', reason: 'account state is SUSPENDED' },
      { id: '555555555555', name: 'closed-one', ouPath: 'Root', status: 'skipped', reason: 'account state is CLOSED' },
    ]);
  });

  it('--ou selects accounts below the OU, recursively', async () => {
    const selection = await selectAccounts(org(), { mode: 'org', organizationalUnits: ['ou-abcd-work'] }, '111111111111');
    expect(selection.targets.map((t) => t.id)).toEqual(['222222222222', '333333333333']);
  });

  it('--accounts and --exclude-accounts narrow the set', async () => {
    const selection = await selectAccounts(
      org(),
      { mode: 'accounts', accounts: ['222222222222', '333333333333', '444444444444'], exclude: ['333333333333'] },
      '111111111111',
    );
    expect(selection.targets.map((t) => t.id)).toEqual(['222222222222']);
    expect(selection.skipped.map((t) => t.id)).toEqual(['444444444444']);
  });

  it('rejects account ids and OUs that are not in the organisation, all at once', async () => {
    const error = await selectAccounts(
      org(),
      { mode: 'org', accounts: ['999999999999'], exclude: ['888888888888'], organizationalUnits: ['ou-nope-nope'] },
      '111111111111',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).diagnostics.map((d) => d.message)).toEqual([
      'account 999999999999 is not in the organisation',
      'account 888888888888 is not in the organisation',
      'OU ou-nope-nope has no accounts or is not in the organisation',
    ]);
  });

  it('keeps going without OU paths when OUs cannot be listed', async () => {
    orgMock.on(ListRootsCommand).rejects(awsError('AccessDeniedException'));
    const selection = await selectAccounts(org(), { mode: 'org' }, '111111111111');
    expect(selection.targets[0]).toEqual({ id: '111111111111', name: 'management' });
    expect(selection.warnings).toEqual(['OU paths are unknown: no permission to list OUs']);
  });

  it('--accounts without Organizations access scans the ids as given, with a warning', async () => {
    orgMock.on(ListAccountsCommand).rejects(awsError('AWSOrganizationsNotInUseException', 'not in an organisation'));
    const selection = await selectAccounts(org(), { mode: 'accounts', accounts: ['222222222222'] }, '111111111111');
    expect(selection.targets).toEqual([{ id: '222222222222' }]);
    expect(selection.warnings[0]).toMatch(/cannot list the organisation/);
  });

  it('caller mode makes no Organizations call', async () => {
    const selection = await selectAccounts(org(), { mode: 'caller' }, '111111111111');
    expect(selection.targets).toEqual([{ id: '111111111111' }]);
    expect(orgMock.calls()).toHaveLength(0);
  });
});

/** Streams the organisation, recording each account handed over and whether ListAccounts had finished by then. */
async function stream(listingDone: () => boolean = () => false) {
  const handed: (ListedAccount & { afterListing: boolean })[] = [];
  const result = await streamOrganization(org(), (account) => handed.push({ ...account, afterListing: listingDone() }));
  return { handed, result };
}

describe('streamOrganization (plain --org)', () => {
  it('hands every account over once, with its OU path and skip reason, as the walk places it', async () => {
    const { handed, result } = await stream();
    expect(result).toEqual({ count: 5 });
    expect(handed.map((a) => a.target).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: '111111111111', name: 'management', ouPath: 'Root' },
      { id: '222222222222', name: 'payments-prod', ouPath: 'Root/Workloads/Prod' },
      { id: '333333333333', name: 'data-dev', ouPath: 'Root/Workloads' },
      { id: '444444444444', name: 'old-sandbox', ouPath: 'Root' },
      { id: '555555555555', name: 'closed-one', ouPath: 'Root' },
    ]);
    expect(handed.filter((a) => a.skipReason).map((a) => [a.target.id, a.skipReason])).toEqual([
      ['444444444444', 'account state is SUSPENDED'],
      ['555555555555', 'account state is CLOSED'],
    ]);
  });

  it('does not wait for ListAccounts: accounts flow while its pages are still coming', async () => {
    let listingDone = false;
    orgMock.on(ListAccountsCommand, { NextToken: 'p3' }).callsFake(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      listingDone = true;
      return { Accounts: [accounts.dev, accounts.gone, accounts.closed] };
    });
    const { handed } = await stream(() => listingDone);
    expect(handed).toHaveLength(5);
    expect(handed.filter((a) => a.afterListing)).toEqual([]);
  });

  it('an account ListAccounts lists but the walk did not place comes once the walk has ended, without an OU path', async () => {
    orgMock.on(ListAccountsForParentCommand, { ParentId: 'ou-abcd-work' }).resolves({ Accounts: [] });
    const { handed, result } = await stream();
    expect(result.count).toBe(5);
    expect(handed.at(-1)?.target).toEqual({ id: '333333333333', name: 'data-dev' });
  });

  it('without permission to walk the tree, every listed account comes without an OU path, with a warning', async () => {
    orgMock.on(ListRootsCommand).rejects(awsError('AccessDeniedException'));
    const { handed, result } = await stream();
    expect(result).toEqual({ count: 5, warning: 'OU paths are unknown: no permission to list OUs' });
    expect(handed.map((a) => a.target.ouPath)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('a failed ListAccounts fails the stream, even while the walk goes on', async () => {
    orgMock.on(ListAccountsCommand).rejects(awsError('AccessDeniedException', 'not the management account'));
    orgMock.on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-abcd-work' }).callsFake(() => new Promise(() => undefined));
    await expect(stream()).rejects.toThrow(/not the management account/);
  });
});

describe('inactiveReason', () => {
  it.each([
    [{ Status: 'ACTIVE', State: 'ACTIVE' }, undefined],
    [{ Status: 'ACTIVE' }, undefined],
    [{ Status: 'SUSPENDED' }, 'account status is SUSPENDED'],
    [{ Status: 'PENDING_CLOSURE' }, 'account status is PENDING_CLOSURE'],
    [{ Status: 'ACTIVE', State: 'PENDING_CLOSURE' }, 'account state is PENDING_CLOSURE'],
    [{ State: 'CLOSED' }, 'account state is CLOSED'],
  ] as const)('%j → %s', (account, reason) => {
    expect(inactiveReason(account as never)).toBe(reason);
  });
});

describe('managementAccountOf (DescribeOrganization)', () => {
  it('MasterAccountId, else the id at the end of MasterAccountArn', () => {
    expect(
      managementAccountOf({
        MasterAccountId: '111111111111',
        MasterAccountArn: 'arn:aws:organizations::111111111111:account/o-abcdefghij/111111111111',
      }),
    ).toBe('111111111111');
    expect(managementAccountOf({ MasterAccountArn: 'arn:aws-us-gov:organizations::222222222222:account/o-abcdefghij/222222222222' })).toBe(
      '222222222222',
    );
    expect(managementAccountOf({})).toBeUndefined();
    expect(managementAccountOf(undefined)).toBeUndefined();
  });
});
