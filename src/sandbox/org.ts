/**
 * The sandbox's live state, built once from a fixture: accounts by id, the OU tree, roles,
 * and each account's credential-report state machine.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type {
  AccountFaults,
  AccountState,
  AccountStatus,
  AuthorizationDetails,
  FixtureAccount,
  FixtureOu,
  FixtureRole,
  OrgFixture,
} from './fixture.js';
import { withAwsManagedPolicies } from './aws-managed-policies.js';
import { generateUsersCsv } from './generate.js';
import { hashSeed } from './random.js';

/** An OU or the root, with its place in the tree. */
export interface OuNode {
  id: string;
  name: string;
  /** Undefined for the root. */
  parentId?: string;
  /** Name path below the root, e.g. `Workloads/Prod`; empty for the root. */
  path: string;
}

/** The legacy Status AWS shows next to each State. */
const STATUS_OF_STATE: Record<AccountState, AccountStatus> = {
  ACTIVE: 'ACTIVE',
  PENDING_ACTIVATION: 'ACTIVE',
  SUSPENDED: 'SUSPENDED',
  PENDING_CLOSURE: 'PENDING_CLOSURE',
  CLOSED: 'SUSPENDED',
};

/** Credential-report state of one account. */
export interface ReportState {
  /** GeneratedTime (ms) of the current report; undefined when none exists. */
  generatedAt?: number;
  expired: boolean;
  /** Polls left while a generation is running; undefined when idle. */
  pollsLeft?: number;
}

/** One account as the sandbox serves it. */
export interface AccountRuntime {
  fixture: FixtureAccount;
  id: string;
  status: AccountStatus;
  state: AccountState;
  parentId: string;
  roles: Map<string, FixtureRole>;
  faults: AccountFaults;
  report: ReportState;
  /** Remaining injected 500s and LimitExceeded answers. */
  serverErrorsLeft: number;
  limitExceededLeft: number;
  /** Counters used by the call statistics. */
  calls: number;
}

/** The organisation at run time. */
export class OrgRuntime {
  readonly partition: string;
  readonly rootId: string;
  readonly accounts = new Map<string, AccountRuntime>();
  /** Accounts in fixture order (ListAccounts order). */
  readonly accountList: AccountRuntime[] = [];
  readonly ous = new Map<string, OuNode>();
  private readonly ousByPath = new Map<string, OuNode>();
  private readonly fileCache = new Map<string, string>();
  private readonly detailsCache = new Map<string, AuthorizationDetails>();

  constructor(
    readonly fixture: OrgFixture,
    startedAt: number,
    defaults: { reportPolls?: number } = {},
  ) {
    this.partition = fixture.partition ?? 'aws';
    this.rootId = fixture.rootId ?? `r-${fixture.organizationId.slice(2, 6).padEnd(4, '0')}`;
    const root: OuNode = { id: this.rootId, name: 'Root', path: '' };
    this.ous.set(root.id, root);
    this.ousByPath.set('', root);
    this.addOus(fixture.organizationalUnits ?? [], root);
    for (const account of fixture.accounts) {
      const runtime = this.buildAccount(account, startedAt, defaults.reportPolls);
      this.accounts.set(account.id, runtime);
      this.accountList.push(runtime);
    }
  }

  private addOus(children: FixtureOu[], parent: OuNode): void {
    for (const ou of children) {
      const path = parent.path === '' ? ou.name : `${parent.path}/${ou.name}`;
      const id = ou.id ?? `ou-${this.rootId.slice(2)}-${hashSeed(path).toString(36).padStart(8, '0').slice(0, 8)}`;
      const node: OuNode = { id, name: ou.name, parentId: parent.id, path };
      this.ous.set(id, node);
      this.ousByPath.set(path, node);
      this.addOus(ou.children ?? [], node);
    }
  }

  /** Resolves an OU id, a name path below the root, or the root id; undefined when unknown. */
  resolveParent(ref: string | undefined): OuNode | undefined {
    if (ref === undefined || ref === '' || ref === 'Root') return this.ous.get(this.rootId);
    return this.ous.get(ref) ?? this.ousByPath.get(ref.replace(/^Root\//, ''));
  }

  private buildAccount(account: FixtureAccount, startedAt: number, defaultPolls: number | undefined): AccountRuntime {
    // AWS reports a closed account as State CLOSED with the older Status SUSPENDED.
    const status = account.status ?? STATUS_OF_STATE[account.state ?? 'ACTIVE'];
    const management = account.id === this.fixture.managementAccountId;
    const roleSpecs = account.roles ?? (management ? [] : ['OrganizationAccountAccessRole']);
    const roles = new Map<string, FixtureRole>();
    for (const spec of roleSpecs) {
      const role = typeof spec === 'string' ? { name: spec } : spec;
      roles.set(role.name, role);
    }
    const faults = { ...account.faults };
    if (faults.reportPolls === undefined && defaultPolls !== undefined) faults.reportPolls = defaultPolls;
    const report = account.report ?? {};
    const pinned = report.generatedTime !== undefined ? Date.parse(report.generatedTime) : undefined;
    const state = report.state ?? 'present';
    return {
      fixture: account,
      id: account.id,
      status,
      state: account.state ?? status,
      parentId: this.resolveParent(account.ou)?.id ?? this.rootId,
      roles,
      faults,
      report: {
        generatedAt: state === 'absent' ? undefined : (pinned ?? startedAt - (report.ageHours ?? 0) * 3_600_000),
        expired: state === 'expired',
      },
      serverErrorsLeft: faults.serverErrors ?? 0,
      limitExceededLeft: faults.limitExceeded ?? 0,
      calls: 0,
    };
  }

  /** The account's credential report CSV as it would be generated at `generatedAt`. */
  reportCsv(account: AccountRuntime, generatedAt: number): string {
    if (account.faults.malformedReport) return malformedCsv(account.id);
    const report = account.fixture.report ?? {};
    if (report.csv !== undefined) return report.csv;
    if (report.file !== undefined) return this.readRelative(report.file);
    const users = report.generatedUsers;
    return generateUsersCsv({
      accountId: account.id,
      users: users?.count ?? 0,
      seed: users?.seed ?? 1,
      generatedAt,
      partition: this.partition,
    });
  }

  /**
   * Authorization details of an account, loading a referenced file once, with the AWS-managed
   * policies it attaches added to `Policies` as IAM does (see aws-managed-policies.ts).
   */
  authorizationDetails(account: AccountRuntime): AuthorizationDetails {
    let details = this.detailsCache.get(account.id);
    if (details === undefined) {
      const raw = account.fixture.context?.authorizationDetails;
      const given = raw === undefined ? {} : typeof raw === 'string' ? (JSON.parse(this.readRelative(raw)) as AuthorizationDetails) : raw;
      details = withAwsManagedPolicies(given, this.partition);
      this.detailsCache.set(account.id, details);
    }
    return details;
  }

  private readRelative(path: string): string {
    const full = isAbsolute(path) ? path : resolve(this.fixture.baseDir ?? process.cwd(), path);
    let text = this.fileCache.get(full);
    if (text === undefined) {
      text = readFileSync(full, 'utf8');
      this.fileCache.set(full, text);
    }
    return text;
  }

  /** `arn:<partition>:organizations::<mgmt>:account/<org>/<id>`. */
  accountArn(id: string): string {
    return `arn:${this.partition}:organizations::${this.fixture.managementAccountId}:account/${this.fixture.organizationId}/${id}`;
  }

  /** True for accounts that may call Organizations list/describe operations. */
  isOrgAdministrator(accountId: string): boolean {
    return accountId === this.fixture.managementAccountId || (this.fixture.delegatedAdministrators ?? []).includes(accountId);
  }
}

/** A report whose rows do not match its header: what a corrupted download looks like. */
function malformedCsv(accountId: string): string {
  return `user,arn,user_creation_time\n<root_account>,arn:aws:iam::${accountId}:root,not-a-date,true,"unterminated\n`;
}
