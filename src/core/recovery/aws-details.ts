import { decodePolicyText } from '../policy/index.js';
import type { AuthorizationDetails, InlinePolicy, ManagedPolicyDetail, PolicyText, RoleDetail, UserDetail } from './types.js';

type Raw = Record<string, unknown>;

/** The four lists of GetAccountAuthorizationDetails, in the SDK's (and AWS CLI's) shape, merged over all pages. */
export interface RawAuthorizationDetails {
  UserDetailList?: readonly unknown[];
  GroupDetailList?: readonly unknown[];
  RoleDetailList?: readonly unknown[];
  Policies?: readonly unknown[];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function list(value: unknown): Raw[] {
  return Array.isArray(value) ? value.filter((v): v is Raw => typeof v === 'object' && v !== null) : [];
}

/**
 * IAM returns documents URL-encoded. Stored decoded and parsed so that snapshots stay
 * readable; a document that does not decode is kept as text and reported when evaluated.
 */
export function decodeDocument(value: unknown): PolicyText {
  if (typeof value === 'object' && value !== null) return value;
  const text = str(value) ?? '';
  try {
    return JSON.parse(decodePolicyText(text)) as object;
  } catch {
    return text;
  }
}

function inline(value: unknown): InlinePolicy[] {
  return list(value).map((p) => ({ name: str(p.PolicyName) ?? '(unnamed)', document: decodeDocument(p.PolicyDocument) }));
}

function attached(value: unknown): string[] {
  return list(value).flatMap((p) => str(p.PolicyArn) ?? []);
}

function tags(value: unknown): Record<string, string> {
  return Object.fromEntries(list(value).flatMap((t) => (str(t.Key) !== undefined ? [[str(t.Key)!, str(t.Value) ?? '']] : [])));
}

function boundary(value: unknown): { permissionsBoundary?: string } {
  const arn = typeof value === 'object' && value !== null ? str((value as Raw).PermissionsBoundaryArn) : undefined;
  return arn ? { permissionsBoundary: arn } : {};
}

function optional(key: 'id' | 'path', value: unknown): { id?: string; path?: string } {
  const s = str(value);
  return s === undefined ? {} : { [key]: s };
}

function userOf(u: Raw): UserDetail {
  return {
    name: str(u.UserName) ?? '',
    arn: str(u.Arn) ?? '',
    ...optional('id', u.UserId),
    ...optional('path', u.Path),
    groups: Array.isArray(u.GroupList) ? u.GroupList.filter((g): g is string => typeof g === 'string') : [],
    inlinePolicies: inline(u.UserPolicyList),
    attachedPolicies: attached(u.AttachedManagedPolicies),
    ...boundary(u.PermissionsBoundary),
    tags: tags(u.Tags),
  };
}

function roleOf(r: Raw): RoleDetail {
  return {
    name: str(r.RoleName) ?? '',
    arn: str(r.Arn) ?? '',
    ...optional('id', r.RoleId),
    ...optional('path', r.Path),
    trustPolicy: decodeDocument(r.AssumeRolePolicyDocument),
    inlinePolicies: inline(r.RolePolicyList),
    attachedPolicies: attached(r.AttachedManagedPolicies),
    ...boundary(r.PermissionsBoundary),
    tags: tags(r.Tags),
  };
}

/** The default version's document of a managed policy; undefined when the version list lacks it. */
function managedOf(p: Raw): ManagedPolicyDetail | undefined {
  const versions = list(p.PolicyVersionList);
  const defaultId = str(p.DefaultVersionId);
  const version = versions.find((v) => v.IsDefaultVersion === true) ?? versions.find((v) => str(v.VersionId) === defaultId);
  if (!version) return undefined;
  return { arn: str(p.Arn) ?? '', name: str(p.PolicyName) ?? '', document: decodeDocument(version.Document) };
}

/** Normalises GetAccountAuthorizationDetails output (all pages merged) for the recovery analysis. */
export function fromAwsAuthorizationDetails(raw: RawAuthorizationDetails): AuthorizationDetails {
  return {
    users: list(raw.UserDetailList).map(userOf),
    groups: list(raw.GroupDetailList).map((g) => ({
      name: str(g.GroupName) ?? '',
      arn: str(g.Arn) ?? '',
      inlinePolicies: inline(g.GroupPolicyList),
      attachedPolicies: attached(g.AttachedManagedPolicies),
    })),
    roles: list(raw.RoleDetailList).map(roleOf),
    policies: list(raw.Policies).flatMap((p) => managedOf(p) ?? []),
  };
}
