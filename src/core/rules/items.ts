/**
 * Credentials the credential report leaves out, as collectors add them to facts: server
 * certificates (`account.facts.serverCertificates`), service-specific credentials
 * (`facts.serviceCredentials`) and SSH public keys (`facts.sshPublicKeys`). Snapshots are input:
 * an entry that is not an object with a string id is skipped, never trusted.
 */
import type { Account, Principal } from '../../model/index.js';

/** A server certificate stored in IAM (ListServerCertificates). */
export interface ServerCertificateItem {
  name: string;
  id: string | null;
  arn: string | null;
  path: string | null;
  uploadDate: string | null;
  expiration: string | null;
}

/** A service-specific credential (ListServiceSpecificCredentials). */
export interface ServiceCredentialItem {
  id: string;
  service: string | null;
  /** Active, Inactive or Expired. */
  status: string | null;
  createDate: string | null;
  /** null: never expires (or a service whose credentials cannot expire). */
  expiration: string | null;
  alias: string | null;
  serviceUserName: string | null;
}

/** An SSH public key (ListSSHPublicKeys). */
export interface SshPublicKeyItem {
  id: string;
  /** Active or Inactive. */
  status: string | null;
  uploadDate: string | null;
}

/** The fact root each item kind is read from, with its owner (principal or account facts). */
export const ITEM_FACTS = {
  serverCertificate: 'account.facts.serverCertificates',
  serviceCredential: 'facts.serviceCredentials',
  sshPublicKey: 'facts.sshPublicKeys',
} as const;

/** The finding `credential` of an item: `<kind>:<id>`, stable across scans. */
export const ITEM_CREDENTIAL_PREFIX = {
  serverCertificate: 'server_certificate',
  serviceCredential: 'service_credential',
  sshPublicKey: 'ssh_public_key',
} as const;

type Raw = Record<string, unknown>;

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function records(value: unknown, key: string): Raw[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v) && text((v as Raw)[key]) !== null);
}

/** The server certificates of an account's facts. */
export function serverCertificatesOf(account: Account): ServerCertificateItem[] {
  return records(account.facts?.serverCertificates, 'name').map((c) => ({
    name: c.name as string,
    id: text(c.id),
    arn: text(c.arn),
    path: text(c.path),
    uploadDate: text(c.uploadDate),
    expiration: text(c.expiration),
  }));
}

/** The service-specific credentials of a principal's facts. */
export function serviceCredentialsOf(principal: Principal): ServiceCredentialItem[] {
  return records(principal.facts?.serviceCredentials, 'id').map((c) => ({
    id: c.id as string,
    service: text(c.service),
    status: text(c.status),
    createDate: text(c.createDate),
    expiration: text(c.expiration),
    alias: text(c.alias),
    serviceUserName: text(c.serviceUserName),
  }));
}

/** The SSH public keys of a principal's facts. */
export function sshPublicKeysOf(principal: Principal): SshPublicKeyItem[] {
  return records(principal.facts?.sshPublicKeys, 'id').map((k) => ({
    id: k.id as string,
    status: text(k.status),
    uploadDate: text(k.uploadDate),
  }));
}

/** Services whose service-specific credentials are API keys (bearer tokens that may expire). */
export const API_KEY_SERVICES: ReadonlySet<string> = new Set(['bedrock.amazonaws.com', 'logs.amazonaws.com']);
