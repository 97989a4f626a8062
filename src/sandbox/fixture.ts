/**
 * The sandbox organisation: what a fixture file (JSON or YAML) describes.
 * See docs/sandbox.md for the format and examples/sandbox/demo-org.json for an example.
 */
import type { SandboxFaults } from './options.js';

/** Legacy `Status` of an Organizations account. */
export type AccountStatus = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';

/** Newer `State` of an Organizations account. */
export type AccountState = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED' | 'PENDING_ACTIVATION';

/** How the root user's MFA is set up; drives ListVirtualMFADevices. */
export type RootMfaKind = 'virtual' | 'hardware' | 'none';

/** An organisation as the sandbox serves it. */
export interface OrgFixture {
  /** 12-digit id of the management account; the caller's base credentials belong to it. */
  managementAccountId: string;
  /** `o-` followed by 10 to 32 lowercase letters or digits. */
  organizationId: string;
  /** `r-` followed by 4 to 32 lowercase letters or digits; default derived from the organisation id. */
  rootId?: string;
  /** Partition of every ARN the sandbox writes; default `aws`. */
  partition?: 'aws' | 'aws-cn' | 'aws-us-gov';
  /** Email of the management account, for DescribeOrganization. */
  managementEmail?: string;
  /** Name of the IAM user that owns the caller's base credentials; default `credwarden-sandbox`. */
  callerUserName?: string;
  /**
   * When set, the caller's base credentials are an assumed-role session of this role in the
   * management account (GetCallerIdentity: `arn:PARTITION:sts::ID:assumed-role/ROLE/credwarden-sandbox`),
   * as with SSO or a CI role, instead of an IAM user.
   */
  callerRoleName?: string;
  /** Accounts registered as delegated administrators: they may call Organizations too. */
  delegatedAdministrators?: string[];
  /** IAM ListOrganizationsFeatures EnabledFeatures, e.g. RootCredentialsManagement, RootSessions. */
  features?: string[];
  /**
   * DescribeOrganization FeatureSet; default ALL. With CONSOLIDATED_BILLING, ListOrganizationsFeatures
   * answers OrganizationNotInAllFeaturesModeException, as AWS does.
   */
  featureSet?: 'ALL' | 'CONSOLIDATED_BILLING';
  /** Whether trusted access for IAM is enabled in Organizations; default true. When false, ListOrganizationsFeatures answers ServiceAccessNotEnabledException. */
  iamTrustedAccess?: boolean;
  /** Organizational units under the root. */
  organizationalUnits?: FixtureOu[];
  /** Every account, including the management account. */
  accounts: FixtureAccount[];
  /**
   * Whether the SCP policy type is enabled on the root; default true. When false, as in an
   * organisation that never enabled SCPs or disabled them: ListRoots shows no
   * SERVICE_CONTROL_POLICY entry, no SCP is attached anywhere (ListPoliciesForTarget answers an
   * empty list, as AWS does after detaching them all) and `policies` is ignored.
   */
  serviceControlPolicies?: boolean;
  /** Service control policies (beyond the AWS-managed FullAWSAccess attached to every target). */
  policies?: FixturePolicy[];
  /** Organisation-wide faults; startSandbox's `faults` option overrides them key by key. */
  faults?: SandboxFaults;
  /** Delay before every answer (or per operation); startSandbox's `latencyMs` wins. */
  latencyMs?: number | Record<string, number>;
  /** Directory that relative paths (report files, authorization details) are resolved against. */
  baseDir?: string;
}

/** An organizational unit and its children. */
export interface FixtureOu {
  /** `ou-` id; default derived from the root id and the OU path. */
  id?: string;
  name: string;
  children?: FixtureOu[];
}

/** A role the caller may assume in an account. */
export interface FixtureRole {
  name: string;
  /** When set, AssumeRole must pass exactly this ExternalId. */
  externalId?: string;
  /** Longest DurationSeconds AssumeRole accepts; default 3600 as for a new role. */
  maxSessionDuration?: number;
}

/** One account of the organisation. */
export interface FixtureAccount {
  id: string;
  name: string;
  email?: string;
  /** Default ACTIVE. */
  status?: AccountStatus;
  /** Default derived from status. */
  state?: AccountState;
  /** OU id or name path below the root (e.g. `Workloads/Prod`); default the root. */
  ou?: string;
  /** ISO time the account joined; default 2020-01-01. */
  joined?: string;
  /** Assumable roles; default `OrganizationAccountAccessRole` (none for the management account). */
  roles?: (string | FixtureRole)[];
  /** The credential report; default a report with only the root user. */
  report?: FixtureReport;
  /** Account-level facts: summary, MFA devices, password policy, authorization details. */
  context?: FixtureContext;
  /** Faults injected for this account only. */
  faults?: AccountFaults;
  /** AWS Security Hub in this account (every Region); default enabled. */
  securityHub?: { enabled?: boolean };
}

/** Where an account's credential report comes from and how old it is. */
export interface FixtureReport {
  /** Inline CSV text. */
  csv?: string;
  /** Path of a CSV file, relative to the fixture. */
  file?: string;
  /** Synthetic users (the root row is always added). */
  generatedUsers?: { count: number; seed?: number };
  /** `present` (default): a report exists; `absent`: ReportNotPresent; `expired`: ReportExpired. */
  state?: 'present' | 'absent' | 'expired';
  /** Age of the existing report at sandbox start, in hours (stale reports); default 0. */
  ageHours?: number;
  /** Pin GeneratedTime of the existing report (ISO); overrides ageHours. */
  generatedTime?: string;
}

/** Account context served by GetAccountSummary, ListVirtualMFADevices and friends. */
export interface FixtureContext {
  /** SummaryMap entries; merged over values derived from the report's root row. */
  summary?: Record<string, number>;
  /** Default: virtual when the root row has MFA, else none. */
  rootMfa?: RootMfaKind;
  /** Raw VirtualMFADevices entries, replacing the ones derived from rootMfa. */
  virtualMfaDevices?: Record<string, unknown>[];
  /** `null` (default) means no policy: GetAccountPasswordPolicy answers NoSuchEntity 404. */
  passwordPolicy?: Record<string, unknown> | null;
  /**
   * GetAccountAuthorizationDetails content in the AWS CLI's JSON shape (UserDetailList,
   * GroupDetailList, RoleDetailList, Policies), inline or as a path relative to the fixture.
   * Policy documents may be objects or strings; the sandbox URL-encodes them as AWS does.
   */
  authorizationDetails?: AuthorizationDetails | string;
  /** ListAccessKeys answers, by user name. */
  accessKeys?: Record<string, { AccessKeyId: string; Status: 'Active' | 'Inactive'; CreateDate: string }[]>;
  /** ListServerCertificates entries (ServerCertificateMetadata: ServerCertificateName, ServerCertificateId, Arn, Path, UploadDate, Expiration). */
  serverCertificates?: Record<string, unknown>[];
  /**
   * ListServiceSpecificCredentials entries of every user (ServiceSpecificCredentialMetadata: UserName,
   * ServiceName, ServiceSpecificCredentialId, Status, CreateDate, ExpirationDate, ServiceCredentialAlias, ServiceUserName).
   */
  serviceCredentials?: Record<string, unknown>[];
  /** ListSSHPublicKeys answers, by user name (SSHPublicKeyId, Status, UploadDate). */
  sshPublicKeys?: Record<string, Record<string, unknown>[]>;
  /**
   * Service last accessed data (GetServiceLastAccessedDetails' ServicesLastAccessed: ServiceName,
   * ServiceNamespace, LastAuthenticated, LastAuthenticatedEntity, LastAuthenticatedRegion,
   * TotalAuthenticatedEntities), by user name: the services the user's policies allow. A user not
   * listed may access no service.
   */
  serviceLastAccessed?: Record<string, Record<string, unknown>[]>;
}

/** GetAccountAuthorizationDetails lists. Entries are passed through as given. */
export interface AuthorizationDetails {
  UserDetailList?: Record<string, unknown>[];
  GroupDetailList?: Record<string, unknown>[];
  RoleDetailList?: Record<string, unknown>[];
  Policies?: Record<string, unknown>[];
}

/** Faults for one account. */
export interface AccountFaults {
  /** AssumeRole into this account answers AccessDenied 403. */
  denyAssumeRole?: boolean;
  /** Polls after the starting GenerateCredentialReport before the report is COMPLETE. */
  reportPolls?: number;
  /** Generation starts but never completes. */
  reportNeverCompletes?: boolean;
  /** GetCredentialReport returns a CSV that does not parse. */
  malformedReport?: boolean;
  /** The first N GenerateCredentialReport calls answer LimitExceeded 409. */
  limitExceeded?: number;
  /** IAM/STS operations that answer AccessDenied 403 for this account's credentials. */
  denyOperations?: string[];
  /** The first N IAM calls for this account answer ServiceFailure 500. */
  serverErrors?: number;
}

/** An SCP and where it is attached. */
export interface FixturePolicy {
  /** `p-` id; default derived from the name. */
  id?: string;
  name: string;
  description?: string;
  /** The policy document, as an object or JSON text. */
  content: Record<string, unknown> | string;
  /** Root, OU or account ids (or OU name paths) the policy is attached to. */
  targets?: string[];
}
