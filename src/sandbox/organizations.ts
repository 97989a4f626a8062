/**
 * AWS Organizations over JSON 1.1 (`X-Amz-Target: AWSOrganizationsV20161128.<Op>`).
 * Only the management account and delegated administrators may list or describe; members get
 * AccessDeniedException, as in AWS.
 */
import type { CallContext, JsonHandler } from './context.js';
import { jsonErrors } from './errors.js';
import type { FixturePolicy } from './fixture.js';
import type { AccountRuntime, OrgRuntime, OuNode } from './org.js';
import { hashSeed } from './random.js';

/** Prefix of the X-Amz-Target header. */
export const ORGANIZATIONS_TARGET_PREFIX = 'AWSOrganizationsV20161128.';
const MAX_PAGE = 20;
const SCP = 'SERVICE_CONTROL_POLICY';
const FULL_ACCESS_ID = 'p-FullAWSAccess';

interface PageToken {
  /** Which listing the token belongs to. */
  k: string;
  /** Offset of the next real page. */
  o: number;
  /** Empty pages still to serve before it. */
  e: number;
}

function decodeToken(raw: unknown, kind: string): PageToken | undefined {
  if (raw === undefined || raw === null) return undefined;
  try {
    const token = JSON.parse(Buffer.from(String(raw), 'base64').toString('utf8')) as PageToken;
    if (token.k === kind && Number.isInteger(token.o) && Number.isInteger(token.e)) return token;
  } catch {
    // fall through to the error below
  }
  throw jsonErrors.invalidInput('The NextToken is invalid.');
}

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64');
}

/** Serves one page of `items`, including the configured empty pages, and the NextToken. */
function paginate<T>(
  ctx: CallContext,
  input: Record<string, unknown>,
  kind: string,
  items: T[],
  injectEmpty: boolean,
): { page: T[]; NextToken?: string } {
  const maxResults = input['MaxResults'] === undefined ? MAX_PAGE : Number(input['MaxResults']);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_PAGE) {
    throw jsonErrors.invalidInput('You provided a value that does not match the required pattern: MaxResults must be between 1 and 20.');
  }
  const size = Math.min(maxResults, ctx.pageSize);
  const before = injectEmpty ? (ctx.faults.emptyPagesBefore ?? 0) : 0;
  const after = injectEmpty && ctx.faults.emptyPageAfterEach === true;
  const token = decodeToken(input['NextToken'], kind) ?? { k: kind, o: 0, e: before };
  if (token.e > 0) {
    const more = token.e > 1 || token.o < items.length;
    return more ? { page: [], NextToken: encodeToken({ k: kind, o: token.o, e: token.e - 1 }) } : { page: [] };
  }
  const end = Math.min(items.length, token.o + size);
  const page = items.slice(token.o, end);
  if (after) return { page, NextToken: encodeToken({ k: kind, o: end, e: 1 }) };
  return end < items.length ? { page, NextToken: encodeToken({ k: kind, o: end, e: 0 }) } : { page };
}

function requireAdministrator(ctx: CallContext): void {
  if (!ctx.org.isOrgAdministrator(ctx.principal.accountId)) throw jsonErrors.accessDenied();
}

function accountJson(org: OrgRuntime, account: AccountRuntime): Record<string, unknown> {
  const fixture = account.fixture;
  return {
    Id: account.id,
    Arn: org.accountArn(account.id),
    Email: fixture.email ?? `aws+${account.id}@example.com`,
    Name: fixture.name,
    Status: account.status,
    State: account.state,
    JoinedMethod: account.id === org.fixture.managementAccountId ? 'INVITED' : 'CREATED',
    JoinedTimestamp: Date.parse(fixture.joined ?? '2020-01-01T00:00:00Z') / 1000,
  };
}

function ouJson(org: OrgRuntime, ou: OuNode): Record<string, unknown> {
  return {
    Id: ou.id,
    Arn: `arn:${org.partition}:organizations::${org.fixture.managementAccountId}:ou/${org.fixture.organizationId}/${ou.id}`,
    Name: ou.name,
  };
}

function parentOf(ctx: CallContext, id: unknown): OuNode {
  const parent = typeof id === 'string' ? ctx.org.ous.get(id) : undefined;
  if (parent === undefined)
    throw jsonErrors.clientError('ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified.");
  return parent;
}

const listAccounts: JsonHandler = (ctx, input) => {
  requireAdministrator(ctx);
  const { page, NextToken } = paginate(ctx, input, 'accounts', ctx.org.accountList, true);
  return { Accounts: page.map((account) => accountJson(ctx.org, account)), ...(NextToken ? { NextToken } : {}) };
};

const listAccountsForParent: JsonHandler = (ctx, input) => {
  requireAdministrator(ctx);
  const parent = parentOf(ctx, input['ParentId']);
  const accounts = ctx.org.accountList.filter((account) => account.parentId === parent.id);
  const { page, NextToken } = paginate(ctx, input, `accounts:${parent.id}`, accounts, true);
  return { Accounts: page.map((account) => accountJson(ctx.org, account)), ...(NextToken ? { NextToken } : {}) };
};

const listOrganizationalUnitsForParent: JsonHandler = (ctx, input) => {
  requireAdministrator(ctx);
  const parent = parentOf(ctx, input['ParentId']);
  const children = [...ctx.org.ous.values()].filter((ou) => ou.parentId === parent.id);
  const { page, NextToken } = paginate(ctx, input, `ous:${parent.id}`, children, false);
  return { OrganizationalUnits: page.map((ou) => ouJson(ctx.org, ou)), ...(NextToken ? { NextToken } : {}) };
};

const listRoots: JsonHandler = (ctx) => {
  requireAdministrator(ctx);
  const org = ctx.org;
  return {
    Roots: [
      {
        Id: org.rootId,
        Arn: `arn:${org.partition}:organizations::${org.fixture.managementAccountId}:root/${org.fixture.organizationId}/${org.rootId}`,
        Name: 'Root',
        PolicyTypes: scpEnabled(org) ? [{ Type: SCP, Status: 'ENABLED' }] : [],
      },
    ],
  };
};

/** Whether the fixture's organisation has the SCP policy type enabled (the default). */
function scpEnabled(org: OrgRuntime): boolean {
  return org.fixture.serviceControlPolicies !== false;
}

const listParents: JsonHandler = (ctx, input) => {
  requireAdministrator(ctx);
  const childId = String(input['ChildId'] ?? '');
  const parentId = ctx.org.accounts.get(childId)?.parentId ?? ctx.org.ous.get(childId)?.parentId;
  if (parentId === undefined)
    throw jsonErrors.clientError(
      'ChildNotFoundException',
      "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
    );
  return { Parents: [{ Id: parentId, Type: parentId === ctx.org.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }] };
};

const describeOrganization: JsonHandler = (ctx) => {
  const org = ctx.org;
  if (!org.accounts.has(ctx.principal.accountId))
    throw jsonErrors.clientError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
  const management = org.accounts.get(org.fixture.managementAccountId);
  return {
    Organization: {
      Id: org.fixture.organizationId,
      Arn: `arn:${org.partition}:organizations::${org.fixture.managementAccountId}:organization/${org.fixture.organizationId}`,
      FeatureSet: org.fixture.featureSet ?? 'ALL',
      MasterAccountArn: org.accountArn(org.fixture.managementAccountId),
      MasterAccountId: org.fixture.managementAccountId,
      MasterAccountEmail: org.fixture.managementEmail ?? management?.fixture.email ?? 'management@example.com',
      // Deprecated field, kept as AWS does; ListRoots is the source of truth.
      AvailablePolicyTypes: scpEnabled(org) ? [{ Type: SCP, Status: 'ENABLED' }] : [],
    },
  };
};

const describeAccount: JsonHandler = (ctx, input) => {
  requireAdministrator(ctx);
  const account = ctx.org.accounts.get(String(input['AccountId'] ?? ''));
  if (account === undefined) throw jsonErrors.clientError('AccountNotFoundException', "You specified an account that doesn't exist.");
  return { Account: accountJson(ctx.org, account) };
};

/** Every SCP with its summary, content and resolved targets; FullAWSAccess sits on every target. */
interface PolicyRuntime {
  summary: Record<string, unknown>;
  content: string;
  targets: Set<string> | 'all';
}

function policies(org: OrgRuntime): Map<string, PolicyRuntime> {
  const result = new Map<string, PolicyRuntime>();
  result.set(FULL_ACCESS_ID, {
    summary: {
      Id: FULL_ACCESS_ID,
      Arn: `arn:${org.partition}:organizations::aws:policy/service_control_policy/${FULL_ACCESS_ID}`,
      Name: 'FullAWSAccess',
      Description: 'Allows access to every operation',
      Type: SCP,
      AwsManaged: true,
    },
    content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
    targets: 'all',
  });
  for (const policy of org.fixture.policies ?? []) result.set(policyId(policy), customerPolicy(org, policy));
  return result;
}

function policyId(policy: FixturePolicy): string {
  return policy.id ?? `p-${hashSeed(policy.name).toString(36).padStart(8, '0').slice(0, 8)}`;
}

function customerPolicy(org: OrgRuntime, policy: FixturePolicy): PolicyRuntime {
  const id = policyId(policy);
  const targets = new Set((policy.targets ?? []).map((target) => org.resolveParent(target)?.id ?? target));
  return {
    summary: {
      Id: id,
      Arn: `arn:${org.partition}:organizations::${org.fixture.managementAccountId}:policy/${org.fixture.organizationId}/service_control_policy/${id}`,
      Name: policy.name,
      Description: policy.description ?? '',
      Type: SCP,
      AwsManaged: false,
    },
    content: typeof policy.content === 'string' ? policy.content : JSON.stringify(policy.content),
    targets,
  };
}

const listPoliciesForTarget: JsonHandler = (ctx, input) => {
  requireAdministrator(ctx);
  const targetId = String(input['TargetId'] ?? '');
  if (!ctx.org.accounts.has(targetId) && !ctx.org.ous.has(targetId)) {
    throw jsonErrors.clientError(
      'TargetNotFoundException',
      "We can't find a root, OU, account, or policy with the TargetId that you specified.",
    );
  }
  // Disabling the SCP policy type detaches every SCP: the list is empty, not an error.
  if (input['Filter'] !== SCP || !scpEnabled(ctx.org)) return { Policies: [] };
  const attached = [...policies(ctx.org).values()].filter((p) => p.targets === 'all' || p.targets.has(targetId));
  const { page, NextToken } = paginate(ctx, input, `policies:${targetId}`, attached, false);
  return { Policies: page.map((p) => p.summary), ...(NextToken ? { NextToken } : {}) };
};

const describePolicy: JsonHandler = (ctx, input) => {
  requireAdministrator(ctx);
  const policy = policies(ctx.org).get(String(input['PolicyId'] ?? ''));
  if (policy === undefined)
    throw jsonErrors.clientError('PolicyNotFoundException', "We can't find a policy with the PolicyId that you specified.");
  return { Policy: { PolicySummary: policy.summary, Content: policy.content } };
};

/** Organizations operations the sandbox serves, by operation name. */
export const ORGANIZATIONS_HANDLERS: Record<string, JsonHandler> = {
  ListAccounts: listAccounts,
  ListAccountsForParent: listAccountsForParent,
  ListOrganizationalUnitsForParent: listOrganizationalUnitsForParent,
  ListRoots: listRoots,
  ListParents: listParents,
  DescribeOrganization: describeOrganization,
  DescribeAccount: describeAccount,
  ListPoliciesForTarget: listPoliciesForTarget,
  DescribePolicy: describePolicy,
};
