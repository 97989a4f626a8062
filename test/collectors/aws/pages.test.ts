import { GetAccountAuthorizationDetailsCommand, IAMClient } from '@aws-sdk/client-iam';
import { ListPoliciesForTargetCommand, ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { readAuthorizationDetails, readScpPolicyType, ScpReader } from '../../../src/collectors/aws/authorization.js';
import { allItems, untilComplete } from '../../../src/collectors/aws/pages.js';

const iamMock = mockClient(IAMClient);
const orgMock = mockClient(OrganizationsClient);
afterEach(() => {
  iamMock.reset();
  orgMock.reset();
});

async function* pages<P>(...list: P[]): AsyncGenerator<P> {
  for (const page of list) yield page;
}

describe('untilComplete (IAM paging)', () => {
  it('stops at the first page that is not truncated, even when it carries a Marker', async () => {
    const seen = await allItems(
      untilComplete(pages({ IsTruncated: true, items: [1] }, { IsTruncated: false, Marker: 'stale', items: [2] }, { items: [3] })),
      (p) => p.items,
    );
    expect(seen).toEqual([1, 2]);
  });

  it('does not ask IAM again after the last page', async () => {
    iamMock
      .on(GetAccountAuthorizationDetailsCommand)
      .resolvesOnce({ UserDetailList: [], IsTruncated: true, Marker: 'page2' })
      .resolves({ UserDetailList: [], IsTruncated: false, Marker: 'leftover' });
    expect(await readAuthorizationDetails(new IAMClient({}))).toMatchObject({ ok: true });
    const calls = iamMock.commandCalls(GetAccountAuthorizationDetailsCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      { MaxItems: 1000, Marker: undefined },
      { MaxItems: 1000, Marker: 'page2' },
    ]);
  });
});

describe('Organizations paging', () => {
  it('follows NextToken through empty pages', async () => {
    orgMock
      .on(ListRootsCommand)
      .resolvesOnce({ Roots: [], NextToken: 't1' })
      .resolves({ Roots: [{ Id: 'r-abcd', PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] }] });
    expect(await readScpPolicyType(new OrganizationsClient({}))).toEqual({ state: 'enabled' });
    expect(orgMock.commandCalls(ListRootsCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 't1']);
  });

  it('reads every page of the SCPs attached to a target, once per target', async () => {
    orgMock
      .on(ListRootsCommand)
      .resolves({ Roots: [{ Id: 'r-abcd', PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] }] });
    orgMock
      .on(ListPoliciesForTargetCommand)
      .resolvesOnce({ Policies: [{ Id: 'p-1', Name: 'FullAWSAccess' }], NextToken: 'n2' })
      .resolves({ Policies: [{ Id: 'p-2', Arn: 'arn:aws:organizations::1:policy/o-x/service_control_policy/p-2' }, { Name: 'no id' }] });
    const reader = new ScpReader(new OrganizationsClient({}));
    const policies = (reader as unknown as { policiesOf(target: string): Promise<unknown[]> }).policiesOf.bind(reader);
    const expected = [
      { id: 'p-1', name: 'FullAWSAccess' },
      { id: 'p-2', name: 'p-2', arn: 'arn:aws:organizations::1:policy/o-x/service_control_policy/p-2' },
    ];
    expect(await policies('r-abcd')).toEqual(expected);
    expect(await policies('r-abcd')).toEqual(expected);
    expect(orgMock.commandCalls(ListPoliciesForTargetCommand).map((c) => c.args[0].input)).toEqual([
      { TargetId: 'r-abcd', Filter: 'SERVICE_CONTROL_POLICY', NextToken: undefined },
      { TargetId: 'r-abcd', Filter: 'SERVICE_CONTROL_POLICY', NextToken: 'n2' },
    ]);
  });
});
