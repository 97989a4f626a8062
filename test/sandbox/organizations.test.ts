import {
  AccessDeniedException,
  AccountNotFoundException,
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  InvalidInputException,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  PolicyNotFoundException,
  paginateListAccounts,
  type Account,
} from '@aws-sdk/client-organizations';
import { describe, expect, test } from 'vitest';
import { generateOrganization } from '../../src/sandbox/index.js';
import { MEMBER, MGMT, OTHER, assume, failure, organizations, sandbox, smallOrg } from './helpers.js';

async function allAccounts(box: Parameters<typeof organizations>[0]): Promise<{ accounts: Account[]; pages: number; emptyPages: number }> {
  const client = organizations(box);
  let pages = 0;
  let emptyPages = 0;
  const accounts: Account[] = [];
  for await (const page of paginateListAccounts({ client }, {})) {
    pages += 1;
    if ((page.Accounts ?? []).length === 0) emptyPages += 1;
    accounts.push(...(page.Accounts ?? []));
  }
  return { accounts, pages, emptyPages };
}

describe('Organizations', () => {
  test('ListAccounts returns every account with Status, State, Arn and a Date JoinedTimestamp', async () => {
    const box = await sandbox({ fixture: smallOrg() });
    const out = await organizations(box).send(new ListAccountsCommand({}));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.NextToken).toBeUndefined();
    expect(out.Accounts?.map((a) => a.Id)).toEqual([MGMT, MEMBER, OTHER, '444444444444']);
    const gone = out.Accounts?.[3];
    expect(gone).toMatchObject({
      Name: 'gone',
      Status: 'SUSPENDED',
      State: 'SUSPENDED',
      Arn: `arn:aws:organizations::${MGMT}:account/o-test123456/444444444444`,
    });
    expect(gone?.JoinedTimestamp).toBeInstanceOf(Date);
  });

  test('ListAccounts paginates 20 at a time (or MaxResults) until NextToken is absent', async () => {
    const box = await sandbox({ fixture: generateOrganization({ accounts: 45, usersPerAccount: 0 }) });
    const { accounts, pages } = await allAccounts(box);
    expect(accounts).toHaveLength(45);
    expect(new Set(accounts.map((a) => a.Id)).size).toBe(45);
    expect(pages).toBe(3);
    const small = await organizations(box).send(new ListAccountsCommand({ MaxResults: 5 }));
    expect(small.Accounts).toHaveLength(5);
    expect(small.NextToken).toBeTruthy();
  });

  test('empty pages with a NextToken are served when configured', async () => {
    const box = await sandbox({
      fixture: generateOrganization({ accounts: 45, usersPerAccount: 0 }),
      faults: { emptyPagesBefore: 2, emptyPageAfterEach: true },
    });
    const first = await organizations(box).send(new ListAccountsCommand({}));
    expect(first.Accounts).toEqual([]);
    expect(first.NextToken).toBeTruthy();
    const { accounts, pages, emptyPages } = await allAccounts(box);
    expect(accounts).toHaveLength(45);
    expect(emptyPages).toBe(2 + 3);
    expect(pages).toBe(3 + 5);
  });

  test('a forged NextToken answers InvalidInputException', async () => {
    const box = await sandbox({ fixture: smallOrg() });
    const error = await failure(() => organizations(box).send(new ListAccountsCommand({ NextToken: 'bm9wZQ==' })));
    expect(error).toBeInstanceOf(InvalidInputException);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  test('roots, OUs, parents and accounts per parent describe the tree', async () => {
    const box = await sandbox({ fixture: smallOrg() });
    const client = organizations(box);
    const roots = await client.send(new ListRootsCommand({}));
    expect(roots.Roots?.[0]).toMatchObject({ Id: 'r-test', Name: 'Root' });
    const top = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: 'r-test' }));
    expect(top.OrganizationalUnits?.map((ou) => ou.Name)).toEqual(['Workloads']);
    const under = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: 'ou-test-workloads' }));
    expect(under.OrganizationalUnits).toEqual([
      expect.objectContaining({ Id: 'ou-test-prod', Name: 'Prod', Arn: `arn:aws:organizations::${MGMT}:ou/o-test123456/ou-test-prod` }),
    ]);
    const prod = await client.send(new ListAccountsForParentCommand({ ParentId: 'ou-test-prod' }));
    expect(prod.Accounts?.map((a) => a.Id)).toEqual([MEMBER]);
    const rootAccounts = await client.send(new ListAccountsForParentCommand({ ParentId: 'r-test' }));
    expect(rootAccounts.Accounts?.map((a) => a.Id)).toEqual([MGMT, '444444444444']);
    expect((await client.send(new ListParentsCommand({ ChildId: MEMBER }))).Parents).toEqual([
      { Id: 'ou-test-prod', Type: 'ORGANIZATIONAL_UNIT' },
    ]);
    expect((await client.send(new ListParentsCommand({ ChildId: 'ou-test-workloads' }))).Parents).toEqual([{ Id: 'r-test', Type: 'ROOT' }]);
  });

  test('DescribeOrganization and DescribeAccount; unknown accounts answer AccountNotFoundException', async () => {
    const box = await sandbox({ fixture: smallOrg() });
    const client = organizations(box);
    const org = await client.send(new DescribeOrganizationCommand({}));
    expect(org.Organization).toMatchObject({ Id: 'o-test123456', MasterAccountId: MGMT, FeatureSet: 'ALL' });
    expect((await client.send(new DescribeAccountCommand({ AccountId: MEMBER }))).Account?.Name).toBe('prod');
    const error = await failure(() => client.send(new DescribeAccountCommand({ AccountId: '999999999999' })));
    expect(error).toBeInstanceOf(AccountNotFoundException);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  test('DescribeOrganization reports a consolidated-billing organisation', async () => {
    const box = await sandbox({ fixture: { ...smallOrg(), featureSet: 'CONSOLIDATED_BILLING' } });
    expect((await organizations(box).send(new DescribeOrganizationCommand({}))).Organization?.FeatureSet).toBe('CONSOLIDATED_BILLING');
  });

  test('SCPs: FullAWSAccess everywhere plus fixture policies on their targets', async () => {
    const box = await sandbox({
      fixture: smallOrg({
        policies: [{ id: 'p-denyroot', name: 'DenyRoot', content: { Version: '2012-10-17', Statement: [] }, targets: ['Workloads/Prod'] }],
      }),
    });
    const client = organizations(box);
    const prod = await client.send(new ListPoliciesForTargetCommand({ TargetId: 'ou-test-prod', Filter: 'SERVICE_CONTROL_POLICY' }));
    expect(prod.Policies?.map((p) => p.Name)).toEqual(['FullAWSAccess', 'DenyRoot']);
    const account = await client.send(new ListPoliciesForTargetCommand({ TargetId: MEMBER, Filter: 'SERVICE_CONTROL_POLICY' }));
    expect(account.Policies?.map((p) => p.Name)).toEqual(['FullAWSAccess']);
    const policy = await client.send(new DescribePolicyCommand({ PolicyId: 'p-denyroot' }));
    expect(JSON.parse(policy.Policy?.Content ?? '')).toEqual({ Version: '2012-10-17', Statement: [] });
    expect(await failure(() => client.send(new DescribePolicyCommand({ PolicyId: 'p-nope12345' })))).toBeInstanceOf(
      PolicyNotFoundException,
    );
  });

  test('SCP policy type enabled by default; disabled: no ListRoots entry and nothing attached anywhere', async () => {
    const enabled = await sandbox({ fixture: smallOrg() });
    expect((await organizations(enabled).send(new ListRootsCommand({}))).Roots?.[0]?.PolicyTypes).toEqual([
      { Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' },
    ]);
    const box = await sandbox({
      fixture: smallOrg({
        serviceControlPolicies: false,
        policies: [{ id: 'p-denyroot', name: 'DenyRoot', content: { Version: '2012-10-17', Statement: [] }, targets: ['Workloads/Prod'] }],
      }),
    });
    const client = organizations(box);
    expect((await client.send(new ListRootsCommand({}))).Roots?.[0]?.PolicyTypes).toEqual([]);
    for (const target of ['r-test', 'ou-test-prod', MEMBER]) {
      expect(
        (await client.send(new ListPoliciesForTargetCommand({ TargetId: target, Filter: 'SERVICE_CONTROL_POLICY' }))).Policies,
      ).toEqual([]);
    }
  });

  test('member accounts may not list accounts: AccessDeniedException', async () => {
    const box = await sandbox({ fixture: smallOrg() });
    const error = await failure(async () => organizations(box, await assume(box, MEMBER)).send(new ListAccountsCommand({})));
    expect(error).toBeInstanceOf(AccessDeniedException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(box.callLog.at(-1)).toMatchObject({
      service: 'organizations',
      operation: 'ListAccounts',
      accountId: MEMBER,
      errorCode: 'AccessDeniedException',
    });
  });

  test('delegated administrators may list accounts', async () => {
    const box = await sandbox({ fixture: smallOrg({ delegatedAdministrators: [MEMBER] }) });
    const out = await organizations(box, await assume(box, MEMBER)).send(new ListAccountsCommand({}));
    expect(out.Accounts).toHaveLength(4);
  });

  test('a body that is not a JSON object answers SerializationException', async () => {
    // A hand-made request: its signature is not real, so the check is off here (signature.test.ts covers it).
    const box = await sandbox({ fixture: smallOrg(), verifySignatures: false });
    const response = await fetch(box.endpoint, {
      method: 'POST',
      headers: {
        'X-Amz-Target': 'AWSOrganizationsV20161128.ListAccounts',
        'Content-Type': 'application/x-amz-json-1.1',
        Authorization: `AWS4-HMAC-SHA256 Credential=${box.credentials.accessKeyId}/20261127/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: '{not json',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'SerializationException' });
  });

  test('unknown keys answer UnrecognizedClientException', async () => {
    const box = await sandbox({ fixture: smallOrg() });
    const error = await failure(() =>
      organizations(box, { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }).send(new ListRootsCommand({})),
    );
    expect(error.name).toBe('UnrecognizedClientException');
  });
});
