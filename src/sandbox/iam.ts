/**
 * IAM over the AWS Query protocol. Every call answers with the data of the account that owns
 * the signing key, so assumed-role credentials for account X only ever see account X.
 */
import type { CallContext, QueryHandler, QueryParams } from './context.js';
import { ServiceError, queryErrors } from './errors.js';
import type { AccountRuntime, OrgRuntime } from './org.js';
import { element, isoSeconds, mapToXml, toXml } from './xml.js';
import { LAST_ACCESSED_HANDLERS } from './last-accessed.js';

/** XML namespace of IAM responses. */
export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';
const FOUR_HOURS_MS = 4 * 3_600_000;

/** The account whose data a call sees: the one owning the signing key. */
export function accountOf(ctx: CallContext): AccountRuntime {
  if (ctx.account === undefined) throw queryErrors.accessDenied(`User: ${ctx.principal.arn} is not authorized to perform this operation`);
  return ctx.account;
}

/** Moves a running generation one poll forward; true when it just completed. */
function advanceGeneration(account: AccountRuntime, now: number): boolean {
  const report = account.report;
  if (report.pollsLeft === undefined || account.faults.reportNeverCompletes) return false;
  report.pollsLeft -= 1;
  if (report.pollsLeft > 0) return false;
  report.pollsLeft = undefined;
  report.generatedAt = now;
  report.expired = false;
  return true;
}

function generateState(state: 'STARTED' | 'INPROGRESS' | 'COMPLETE', description: string): string {
  return element('State', state) + element('Description', description);
}

const generateCredentialReport: QueryHandler = (ctx) => {
  const account = accountOf(ctx);
  if (account.limitExceededLeft > 0) {
    account.limitExceededLeft -= 1;
    throw new ServiceError('LimitExceeded', 409, 'Cannot exceed quota for report generation requests.');
  }
  const report = account.report;
  if (report.pollsLeft !== undefined) {
    return advanceGeneration(account, ctx.now)
      ? generateState('COMPLETE', 'The credential report is ready.')
      : generateState('INPROGRESS', 'The credential report is being generated.');
  }
  // AWS reuses a report generated in the last four hours instead of starting a new one.
  if (report.generatedAt !== undefined && !report.expired && ctx.now - report.generatedAt < FOUR_HOURS_MS) {
    return generateState('COMPLETE', 'A recent credential report is available.');
  }
  const polls = account.faults.reportPolls ?? 0;
  if (polls <= 0 && !account.faults.reportNeverCompletes) {
    report.generatedAt = ctx.now;
    report.expired = false;
    return generateState('COMPLETE', 'The credential report is ready.');
  }
  report.pollsLeft = Math.max(1, polls);
  return generateState('STARTED', 'No report exists. Starting a new report generation task');
};

const getCredentialReport: QueryHandler = (ctx) => {
  const account = accountOf(ctx);
  const report = account.report;
  if (report.pollsLeft !== undefined && !advanceGeneration(account, ctx.now)) {
    throw new ServiceError('ReportInProgress', 404, 'Credential report is being generated.');
  }
  if (report.generatedAt === undefined) {
    throw new ServiceError('ReportNotPresent', 410, 'Credential report is not present. Use GenerateCredentialReport to generate a report.');
  }
  if (report.expired) {
    throw new ServiceError(
      'ReportExpired',
      410,
      'The most recent credential report has expired. Use GenerateCredentialReport to generate a new one.',
    );
  }
  const csv = ctx.org.reportCsv(account, report.generatedAt);
  return (
    // Base64 needs no XML escaping; skipping it matters for large reports.
    `<Content>${Buffer.from(csv, 'utf8').toString('base64')}</Content>` +
    element('ReportFormat', 'text/csv') +
    element('GeneratedTime', isoSeconds(report.generatedAt))
  );
};

/** Facts read from a report's root row and user rows. */
interface ReportFacts {
  users: number;
  mfaInUse: number;
  rootMfa: boolean;
  rootKeys: boolean;
  rootPassword: boolean;
  rootCerts: boolean;
}

function reportFacts(csv: string): ReportFacts {
  const lines = csv.split('\n').filter((line) => line.trim() !== '');
  const facts: ReportFacts = { users: 0, mfaInUse: 0, rootMfa: false, rootKeys: false, rootPassword: true, rootCerts: false };
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const mfa = cells[7]?.toLowerCase() === 'true';
    if (mfa) facts.mfaInUse += 1;
    if (cells[0] !== '<root_account>') {
      facts.users += 1;
      continue;
    }
    facts.rootMfa = mfa;
    facts.rootKeys = cells[8]?.toLowerCase() === 'true' || cells[13]?.toLowerCase() === 'true';
    facts.rootCerts = cells[18]?.toLowerCase() === 'true' || cells[20]?.toLowerCase() === 'true';
    // Accounts whose root credentials are centrally managed have no root password.
    facts.rootPassword = cells[3]?.toLowerCase() !== 'false';
  }
  return facts;
}

function currentFacts(org: OrgRuntime, account: AccountRuntime, now: number): ReportFacts {
  try {
    return reportFacts(org.reportCsv(account, account.report.generatedAt ?? now));
  } catch {
    return { users: 0, mfaInUse: 0, rootMfa: false, rootKeys: false, rootPassword: true, rootCerts: false };
  }
}

const getAccountSummary: QueryHandler = (ctx) => {
  const account = accountOf(ctx);
  const facts = currentFacts(ctx.org, account, ctx.now);
  const summary: Record<string, number> = {
    Users: facts.users,
    UsersQuota: 5000,
    Groups: 0,
    GroupsQuota: 300,
    Roles: account.roles.size,
    RolesQuota: 1000,
    Policies: 0,
    PoliciesQuota: 1500,
    PolicySizeQuota: 6144,
    PolicyVersionsInUse: 0,
    PolicyVersionsInUseQuota: 10000,
    VersionsPerPolicyQuota: 5,
    ServerCertificates: 0,
    ServerCertificatesQuota: 20,
    UserPolicySizeQuota: 2048,
    GroupPolicySizeQuota: 5120,
    GroupsPerUserQuota: 10,
    SigningCertificatesPerUserQuota: 2,
    AccessKeysPerUserQuota: 2,
    AttachedPoliciesPerUserQuota: 10,
    AttachedPoliciesPerGroupQuota: 10,
    AttachedPoliciesPerRoleQuota: 10,
    GlobalEndpointTokenVersion: 1,
    MFADevices: facts.mfaInUse,
    MFADevicesInUse: facts.mfaInUse,
    AccountMFAEnabled: facts.rootMfa ? 1 : 0,
    AccountAccessKeysPresent: facts.rootKeys ? 1 : 0,
    AccountPasswordPresent: facts.rootPassword ? 1 : 0,
    AccountSigningCertificatesPresent: facts.rootCerts ? 1 : 0,
    ...account.fixture.context?.summary,
  };
  return mapToXml('SummaryMap', summary);
};

function rootVirtualMfa(ctx: CallContext, account: AccountRuntime): Record<string, unknown>[] {
  const context = account.fixture.context;
  if (context?.virtualMfaDevices !== undefined) return context.virtualMfaDevices;
  const kind = context?.rootMfa ?? (currentFacts(ctx.org, account, ctx.now).rootMfa ? 'virtual' : 'none');
  if (kind !== 'virtual') return [];
  const partition = ctx.org.partition;
  return [
    {
      SerialNumber: `arn:${partition}:iam::${account.id}:mfa/root-account-mfa-device`,
      User: {
        Path: '/',
        UserName: '<root_account>',
        UserId: account.id,
        Arn: `arn:${partition}:iam::${account.id}:root`,
        CreateDate: '2020-01-01T00:00:00Z',
      },
      EnableDate: '2020-01-02T00:00:00Z',
    },
  ];
}

const listVirtualMfaDevices: QueryHandler = (ctx, params) => {
  const account = accountOf(ctx);
  const status = params.get('AssignmentStatus') ?? 'Any';
  const devices = rootVirtualMfa(ctx, account).filter((device) => {
    if (status === 'Any') return true;
    return (device['User'] !== undefined) === (status === 'Assigned');
  });
  return toXml('VirtualMFADevices', devices) + element('IsTruncated', false);
};

const getAccountPasswordPolicy: QueryHandler = (ctx) => {
  const account = accountOf(ctx);
  const policy = account.fixture.context?.passwordPolicy;
  if (policy === undefined || policy === null) {
    throw new ServiceError('NoSuchEntity', 404, `The Password Policy with domain name ${account.id} cannot be found.`);
  }
  return toXml('PasswordPolicy', policy);
};

const listOrganizationsFeatures: QueryHandler = (ctx) => {
  const account = accountOf(ctx);
  if (!ctx.org.isOrgAdministrator(account.id)) {
    throw new ServiceError(
      'AccountNotManagementOrDelegatedAdministratorException',
      400,
      'The request was rejected because the account is not the management account or delegated administrator account for centralized root access.',
    );
  }
  if (ctx.org.fixture.featureSet === 'CONSOLIDATED_BILLING') {
    throw new ServiceError(
      'OrganizationNotInAllFeaturesModeException',
      400,
      'The request failed because your organization does not have all features enabled.',
    );
  }
  if (ctx.org.fixture.iamTrustedAccess === false) {
    throw new ServiceError(
      'ServiceAccessNotEnabledException',
      400,
      'The request failed because AWS service access is not enabled for IAM in AWS Organizations.',
    );
  }
  return element('OrganizationId', ctx.org.fixture.organizationId) + toXml('EnabledFeatures', ctx.org.fixture.features ?? []);
};

const DETAIL_LISTS = [
  ['UserDetailList', 'User'],
  ['GroupDetailList', 'Group'],
  ['RoleDetailList', 'Role'],
  ['Policies', 'Policy'],
] as const;

function policyFilterMatches(filters: Set<string>, policy: Record<string, unknown>): boolean {
  const awsManaged = typeof policy['Arn'] === 'string' && policy['Arn'].includes(':iam::aws:policy/');
  return filters.has(awsManaged ? 'AWSManagedPolicy' : 'LocalManagedPolicy');
}

/** Lists the query-encoded list `Name.member.N` as an array. */
function memberList(params: QueryParams, name: string): string[] {
  const values: string[] = [];
  for (let i = 1; params.has(`${name}.member.${i}`); i++) values.push(params.get(`${name}.member.${i}`) ?? '');
  return values;
}

/** Reads and validates the Marker and MaxItems of a paginated IAM call. */
/** The items a page holds, from Marker and MaxItems as IAM reads them. */
export function pageWindow(params: QueryParams, total: number): { start: number; end: number } {
  const marker = params.get('Marker');
  const start = marker === null ? 0 : Number(Buffer.from(marker, 'base64').toString('utf8'));
  if (!Number.isInteger(start) || start < 0 || start > total) throw new ServiceError('InvalidInput', 400, 'Invalid Marker.');
  const maxItems = Number(params.get('MaxItems') ?? 100);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000)
    throw new ServiceError('InvalidInput', 400, 'MaxItems must be between 1 and 1000.');
  return { start, end: Math.min(total, start + maxItems) };
}

/** IsTruncated and the next Marker of a page. */
export function pageTail(end: number, total: number): string {
  const truncated = end < total;
  return element('IsTruncated', truncated) + (truncated ? element('Marker', Buffer.from(String(end)).toString('base64')) : '');
}

const getAccountAuthorizationDetails: QueryHandler = (ctx, params) => {
  const account = accountOf(ctx);
  const details = ctx.org.authorizationDetails(account);
  const filters = memberList(params, 'Filter');
  const filterSet = new Set(filters.length > 0 ? filters : ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy']);
  // One flat sequence across the four lists, so that pages may straddle them as AWS's do.
  const items: { list: string; value: Record<string, unknown> }[] = [];
  for (const [list, type] of DETAIL_LISTS) {
    for (const value of details[list] ?? []) {
      if (type === 'Policy' ? policyFilterMatches(filterSet, value) : filterSet.has(type)) items.push({ list, value });
    }
  }
  const { start, end } = pageWindow(params, items.length);
  const page = items.slice(start, end);
  let xml = '';
  for (const [list] of DETAIL_LISTS)
    xml += toXml(
      list,
      page.filter((item) => item.list === list).map((item) => item.value),
    );
  return xml + pageTail(end, items.length);
};

const listAccessKeys: QueryHandler = (ctx, params) => {
  const account = accountOf(ctx);
  const userName = params.get('UserName');
  if (userName === null) throw new ServiceError('ValidationError', 400, 'Must specify userName when calling with non-User credentials');
  const keys = (account.fixture.context?.accessKeys?.[userName] ?? []).map((key) => ({ UserName: userName, ...key }));
  const { start, end } = pageWindow(params, keys.length);
  return toXml('AccessKeyMetadata', keys.slice(start, end)) + pageTail(end, keys.length);
};

const listServerCertificates: QueryHandler = (ctx, params) => {
  const certificates = accountOf(ctx).fixture.context?.serverCertificates ?? [];
  const { start, end } = pageWindow(params, certificates.length);
  return toXml('ServerCertificateMetadataList', certificates.slice(start, end)) + pageTail(end, certificates.length);
};

/** AWS's answer to ListServiceSpecificCredentials: AllUsers=true lists every user's; UserName one user's. */
const listServiceSpecificCredentials: QueryHandler = (ctx, params) => {
  const all = accountOf(ctx).fixture.context?.serviceCredentials ?? [];
  const userName = params.get('UserName');
  const allUsers = params.get('AllUsers') === 'true';
  if (allUsers && userName !== null) throw new ServiceError('InvalidInput', 400, 'AllUsers cannot be specified together with UserName.');
  if (!allUsers && userName === null)
    throw new ServiceError('ValidationError', 400, 'Must specify userName when calling with non-User credentials');
  const service = params.get('ServiceName');
  const selected = all.filter((c) => (allUsers || c['UserName'] === userName) && (service === null || c['ServiceName'] === service));
  const { start, end } = pageWindow(params, selected.length);
  return toXml('ServiceSpecificCredentials', selected.slice(start, end)) + pageTail(end, selected.length);
};

const listSshPublicKeys: QueryHandler = (ctx, params) => {
  const account = accountOf(ctx);
  const userName = params.get('UserName');
  if (userName === null) throw new ServiceError('ValidationError', 400, 'Must specify userName when calling with non-User credentials');
  const keys = (account.fixture.context?.sshPublicKeys?.[userName] ?? []).map((key) => ({ UserName: userName, ...key }));
  const { start, end } = pageWindow(params, keys.length);
  return toXml('SSHPublicKeys', keys.slice(start, end)) + pageTail(end, keys.length);
};

/** IAM operations the sandbox serves, by Action name. */
export const IAM_HANDLERS: Record<string, QueryHandler> = {
  GenerateCredentialReport: generateCredentialReport,
  GetCredentialReport: getCredentialReport,
  GetAccountSummary: getAccountSummary,
  ListVirtualMFADevices: listVirtualMfaDevices,
  GetAccountPasswordPolicy: getAccountPasswordPolicy,
  ListOrganizationsFeatures: listOrganizationsFeatures,
  GetAccountAuthorizationDetails: getAccountAuthorizationDetails,
  ListAccessKeys: listAccessKeys,
  ListServerCertificates: listServerCertificates,
  ListServiceSpecificCredentials: listServiceSpecificCredentials,
  ListSSHPublicKeys: listSshPublicKeys,
  ...LAST_ACCESSED_HANDLERS,
};
