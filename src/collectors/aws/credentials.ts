/**
 * Long-lived IAM credentials the credential report leaves out (read-only): server certificates
 * (account facts), service-specific credentials (Bedrock and CloudWatch Logs API keys, CodeCommit
 * Git credentials, Amazon Keyspaces credentials) and SSH public keys (principal facts). Each read
 * is made only when an enabled rule needs its fact root (see options.ts), and a read that fails
 * leaves its root unavailable, with the reason, instead of failing the account.
 */
import {
  ListServiceSpecificCredentialsCommand,
  paginateListServerCertificates,
  paginateListSSHPublicKeys,
  type IAMClient,
  type ServiceSpecificCredentialMetadata,
} from '@aws-sdk/client-iam';
import pLimit from 'p-limit';
import type { Account, Principal } from '../../model/index.js';
import type { ContextMode, ContextNeeds } from './options.js';
import { describeError, hasCode } from './errors.js';
import type { FactAvailability } from './context.js';
import { allItems, pagination, untilComplete } from './pages.js';
import { codeCommitAccess, type CodeCommitAccessFact, type JobPolling } from './last-accessed.js';

/** Which of these reads to make for one account. */
export interface CredentialReads {
  /** account.facts.serverCertificates: ListServerCertificates (one paginated call per account). */
  serverCertificates: boolean;
  /** facts.serviceCredentials: ListServiceSpecificCredentials with AllUsers, one call per service. */
  serviceCredentials: boolean;
  /** facts.sshPublicKeys: ListSSHPublicKeys, one call per IAM user. */
  sshPublicKeys: boolean;
  /**
   * facts.codeCommitAccess: IAM's service last accessed data of each user holding an active SSH
   * key (GenerateServiceLastAccessedDetails + GetServiceLastAccessedDetails until complete).
   * Needs the SSH keys, so it lists them too.
   */
  codeCommitAccess?: boolean;
}

/**
 * The services that issue service-specific credentials, one ListServiceSpecificCredentials call
 * each: the API filters by ServiceName, and AllUsers=true lists every user's in one call.
 */
export const CREDENTIAL_SERVICES = [
  'bedrock.amazonaws.com',
  'codecommit.amazonaws.com',
  'cassandra.amazonaws.com',
  'logs.amazonaws.com',
] as const;

/** Answers that mean a service issues no such credentials here (e.g. not offered in this partition). */
const SERVICE_NOT_SUPPORTED: ReadonlySet<string> = new Set(['NotSupportedService', 'ServiceNotSupportedException']);

/** SSH key listings in flight at once in one account: gentle on IAM's per-account rate. */
const SSH_CONCURRENCY = 4;

/** A server certificate as rules read it (account.facts.serverCertificates[]). */
export interface ServerCertificateFact {
  name: string;
  id: string;
  arn: string;
  path: string;
  uploadDate: string | null;
  expiration: string | null;
}

/** A service-specific credential as rules read it (facts.serviceCredentials[]). */
export interface ServiceCredentialFact {
  id: string;
  service: string;
  /** Active, Inactive or Expired. */
  status: string;
  createDate: string | null;
  /** Set only for API keys created with an expiry; null: never expires. */
  expiration: string | null;
  /** The public part of an API key (Bedrock, CloudWatch Logs), when there is one. */
  alias: string | null;
  serviceUserName: string | null;
}

/** An SSH public key as rules read it (facts.sshPublicKeys[]). */
export interface SshPublicKeyFact {
  id: string;
  /** Active or Inactive. */
  status: string;
  uploadDate: string | null;
}

/** What the reads add: account facts, facts by user name, and which roots are decided. */
export interface CredentialFacts {
  account: Record<string, unknown>;
  principals: Map<string, Record<string, unknown>>;
  availability: FactAvailability;
}

const iso = (date: Date | undefined): string | null => (date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : null);

async function listServerCertificates(iam: IAMClient): Promise<ServerCertificateFact[]> {
  const items = await allItems(
    untilComplete(paginateListServerCertificates(pagination(iam), {})),
    (page) => page.ServerCertificateMetadataList,
  );
  return items
    .map((c) => ({
      name: c.ServerCertificateName ?? '',
      id: c.ServerCertificateId ?? '',
      arn: c.Arn ?? '',
      path: c.Path ?? '/',
      uploadDate: iso(c.UploadDate),
      expiration: iso(c.Expiration),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Every credential of one service, all users, following IAM's Marker while IsTruncated. */
async function listServiceCredentials(iam: IAMClient, service: string): Promise<ServiceSpecificCredentialMetadata[]> {
  const all: ServiceSpecificCredentialMetadata[] = [];
  let marker: string | undefined;
  do {
    let page;
    try {
      page = await iam.send(
        new ListServiceSpecificCredentialsCommand({ ServiceName: service, AllUsers: true, ...(marker ? { Marker: marker } : {}) }),
      );
    } catch (error) {
      if (hasCode(error, SERVICE_NOT_SUPPORTED)) return all;
      throw error;
    }
    all.push(...(page.ServiceSpecificCredentials ?? []));
    marker = page.IsTruncated === true ? page.Marker : undefined;
  } while (marker);
  return all;
}

function serviceCredentialFact(c: ServiceSpecificCredentialMetadata, service: string): ServiceCredentialFact {
  return {
    id: c.ServiceSpecificCredentialId ?? '',
    service: c.ServiceName ?? service,
    status: c.Status ?? 'Active',
    createDate: iso(c.CreateDate),
    expiration: iso(c.ExpirationDate),
    alias: c.ServiceCredentialAlias ?? null,
    serviceUserName: c.ServiceUserName ?? null,
  };
}

/** Last-accessed jobs in flight at once in one account, as for SSH key listings. */
const JOB_CONCURRENCY = SSH_CONCURRENCY;

/** CodeCommit access of each user with an active SSH key; the first failure fails them all. */
async function readCodeCommitAccess(
  iam: IAMClient,
  users: readonly Principal[],
  keys: ReadonlyMap<string, readonly SshPublicKeyFact[]>,
  polling: JobPolling,
): Promise<Map<string, CodeCommitAccessFact>> {
  const holders = users.filter((u) => (keys.get(u.name) ?? []).some((k) => k.status === 'Active'));
  const limit = pLimit(JOB_CONCURRENCY);
  const facts = await Promise.all(holders.map((u) => limit(async () => [u.name, await codeCommitAccess(iam, u.arn, polling)] as const)));
  return new Map(facts);
}

async function listSshKeys(iam: IAMClient, userName: string): Promise<SshPublicKeyFact[]> {
  const keys = await allItems(
    untilComplete(paginateListSSHPublicKeys(pagination(iam), { UserName: userName })),
    (page) => page.SSHPublicKeys,
  );
  return keys.map((k) => ({ id: k.SSHPublicKeyId ?? '', status: k.Status ?? 'Active', uploadDate: iso(k.UploadDate) }));
}

/** Adds `value` under `root` to the facts of user `name`. */
function addTo(principals: Map<string, Record<string, unknown>>, name: string, root: string, value: unknown): void {
  const facts = principals.get(name) ?? {};
  facts[root] = value;
  principals.set(name, facts);
}

/**
 * Makes the planned reads for one account. Users of the credential report with none of a kind
 * get an empty list, so "no credential" is decided, not unknown. Never throws: a failed read
 * makes its root unavailable, with the operation and the reason.
 */
export async function readCredentials(
  iam: IAMClient,
  reads: CredentialReads,
  principals: readonly Principal[],
  polling?: JobPolling,
): Promise<CredentialFacts> {
  const out: CredentialFacts = { account: {}, principals: new Map(), availability: { collected: [], unavailable: {} } };
  const userPrincipals = principals.filter((p) => p.type === 'user');
  const users = userPrincipals.map((p) => p.name);
  const work: Promise<void>[] = [];
  if (reads.serverCertificates) {
    work.push(
      listServerCertificates(iam).then(
        (certificates) => {
          out.account.serverCertificates = certificates;
          out.availability.collected.push('serverCertificates');
        },
        (error: unknown) => void (out.availability.unavailable.serverCertificates = `ListServerCertificates: ${describeError(error)}`),
      ),
    );
  }
  if (reads.serviceCredentials) {
    work.push(
      Promise.all(CREDENTIAL_SERVICES.map((service) => listServiceCredentials(iam, service))).then(
        (lists) => {
          const byUser = new Map<string, ServiceCredentialFact[]>(users.map((user) => [user, []]));
          CREDENTIAL_SERVICES.forEach((service, i) => {
            for (const credential of lists[i] ?? []) {
              const owner = credential.UserName ?? '';
              byUser.set(owner, [...(byUser.get(owner) ?? []), serviceCredentialFact(credential, service)]);
            }
          });
          for (const [user, list] of byUser) addTo(out.principals, user, 'serviceCredentials', list);
          out.availability.collected.push('serviceCredentials');
        },
        (error: unknown) =>
          void (out.availability.unavailable.serviceCredentials = `ListServiceSpecificCredentials: ${describeError(error)}`),
      ),
    );
  }
  const lastAccessed = reads.codeCommitAccess === true && polling !== undefined;
  if (reads.sshPublicKeys || lastAccessed) {
    const limit = pLimit(SSH_CONCURRENCY);
    const listed = Promise.all(users.map((user) => limit(async () => [user, await listSshKeys(iam, user)] as const)));
    work.push(
      listed.then(
        (lists) => {
          for (const [user, keys] of lists) addTo(out.principals, user, 'sshPublicKeys', keys);
          out.availability.collected.push('sshPublicKeys');
        },
        (error: unknown) => void (out.availability.unavailable.sshPublicKeys = `ListSSHPublicKeys: ${describeError(error)}`),
      ),
    );
    if (lastAccessed) {
      work.push(
        listed.then(
          async (lists) => {
            try {
              const access = await readCodeCommitAccess(iam, userPrincipals, new Map(lists), polling);
              for (const [user, fact] of access) addTo(out.principals, user, 'codeCommitAccess', fact);
              out.availability.collected.push('codeCommitAccess');
            } catch (error) {
              out.availability.unavailable.codeCommitAccess = `service last accessed data (GenerateServiceLastAccessedDetails): ${describeError(error)}`;
            }
          },
          (error: unknown) => void (out.availability.unavailable.codeCommitAccess = `ListSSHPublicKeys: ${describeError(error)}`),
        ),
      );
    }
  }
  await Promise.all(work);
  out.availability.collected.sort();
  return out;
}

/**
 * The reads a scan makes: in `auto`, those a rule of the pack needs (contextNeedsFor); `all`
 * makes every one (SSH keys included, one call per user); `none` makes none.
 */
export function credentialReadsFor(mode: ContextMode, needs: ContextNeeds): CredentialReads {
  if (mode === 'none') return { serverCertificates: false, serviceCredentials: false, sshPublicKeys: false, codeCommitAccess: false };
  if (mode === 'all') return { serverCertificates: true, serviceCredentials: true, sshPublicKeys: true, codeCommitAccess: true };
  return {
    serverCertificates: needs.serverCertificates === true,
    serviceCredentials: needs.serviceCredentials === true,
    sshPublicKeys: needs.sshPublicKeys === true,
    codeCommitAccess: needs.codeCommitAccess === true,
  };
}

/** The account with the reads' facts added to it and to its users. */
export function withCredentialFacts(read: CredentialFacts, account: Account): Account {
  if (Object.keys(read.account).length === 0 && read.principals.size === 0) return account;
  return {
    ...account,
    facts: { ...account.facts, ...read.account },
    principals: account.principals.map((p) => {
      const extra = p.type === 'user' ? read.principals.get(p.name) : undefined;
      return extra ? { ...p, facts: { ...p.facts, ...extra } } : p;
    }),
  };
}
