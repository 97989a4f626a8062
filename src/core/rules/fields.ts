import { daysBetween, parseTimestamp } from '../util/time.js';
import { certTimeMs, keyTimeMs, TIME } from '../report/times.js';
import type { EvalFrame } from './frame.js';
import { API_KEY_SERVICES } from './items.js';

/** Value type of a field, used to type-check comparisons at load time. */
export type FieldType = 'number' | 'boolean' | 'string' | 'any';

/** Which item a field reads: always available, or only inside a subject/quantifier. */
export type FieldScope = 'principal' | 'key' | 'cert' | 'credential' | 'serverCertificate' | 'serviceCredential' | 'sshPublicKey';

/** A readable field of the rule language. */
export interface FieldDef {
  type: FieldType;
  scope: FieldScope;
  description: string;
  get(frame: EvalFrame): unknown;
}

// The times of other credentials (server certificates, service credentials, SSH keys, facts),
// which have no parsed times of their own: several rules read each, so it is parsed once. A map from the
// time's text to its value, emptied when full, so memory stays flat. A principal's times are the
// same string objects on every read, so a lookup hashes its key once and then finds it by identity;
// a ring of the last 16 times compared each time by value with up to 16 others, which cost more
// than parsing it again.
const EPOCH_MEMO = 4096;
const epochOf = new Map<string, number>();

function epochMs(time: string): number {
  let ms = epochOf.get(time);
  if (ms === undefined) {
    if (epochOf.size >= EPOCH_MEMO) epochOf.clear();
    ms = parseTimestamp(time);
    epochOf.set(time, ms);
  }
  return ms;
}

/** Elapsed days (fractional) from `time` to the as-of time, or null when there is no time. */
function daysAgo(time: string | null | undefined, frame: EvalFrame): number | null {
  if (time === null || time === undefined) return null;
  return daysBetween(epochMs(time), frame.asOfMs);
}

/** Days from the as-of time until `time`, or null. */
function daysUntil(time: string | null | undefined, frame: EvalFrame): number | null {
  const ago = daysAgo(time, frame);
  return ago === null ? null : -ago;
}

/**
 * Elapsed days from a time of the frame principal's report row (`at`: its {@link TIME} position)
 * to the as-of time, or null when there is no time. The time as a number comes from the times
 * evaluation set (parsed when the report was read); a frame made elsewhere has its text parsed.
 */
function rowDaysAgo(time: string | null | undefined, at: number, frame: EvalFrame): number | null {
  if (!hasTime(time)) return null;
  return daysBetween(frame.times === undefined ? parseTimestamp(time) : frame.times[at]!, frame.asOfMs);
}

/** {@link rowDaysAgo} for a time of the frame's access key. */
function keyDaysAgo(frame: EvalFrame, which: 'lastRotated' | 'lastUsed'): number | null {
  const key = frame.key!;
  return hasTime(key[which]) ? daysBetween(keyTimeMs(frame.principal, frame.times, key, which), frame.asOfMs) : null;
}

/** {@link rowDaysAgo} for the last rotation of the frame's certificate. */
function certDaysAgo(frame: EvalFrame): number | null {
  const cert = frame.cert!;
  return hasTime(cert.lastRotated) ? daysBetween(certTimeMs(frame.principal, frame.times, cert), frame.asOfMs) : null;
}

/** Days from a credential view's time (`ms`: the time parsed) to the as-of time, or null when there is no time. */
function viewDaysAgo(time: string | null, ms: number, frame: EvalFrame): number | null {
  return hasTime(time) ? daysBetween(ms, frame.asOfMs) : null;
}

/** Whether a time is there (what `??` passes over is not). */
function hasTime(time: string | null | undefined): time is string {
  return time !== null && time !== undefined;
}

/** Days since the password's last activity: its last use, else its last change, else the user's creation. */
function passwordActivityDaysAgo(f: EvalFrame): number | null {
  const { password, createdAt } = f.principal;
  if (hasTime(password.lastUsed)) return rowDaysAgo(password.lastUsed, TIME.passwordLastUsed, f);
  if (hasTime(password.lastChanged)) return rowDaysAgo(password.lastChanged, TIME.passwordLastChanged, f);
  return rowDaysAgo(createdAt, TIME.createdAt, f);
}

/** Days since a key's last activity: its last use, else its creation or rotation. */
function keyActivityDaysAgo(f: EvalFrame): number | null {
  return keyDaysAgo(f, hasTime(f.key!.lastUsed) ? 'lastUsed' : 'lastRotated');
}

/** Days since a credential's last activity: its last use, else when it was set, else the user's creation. */
function credentialActivityDaysAgo(f: EvalFrame): number | null {
  const credential = f.credential!;
  if (hasTime(credential.lastUsed)) return viewDaysAgo(credential.lastUsed, credential.lastUsedMs, f);
  if (hasTime(credential.setAt)) return viewDaysAgo(credential.setAt, credential.setAtMs, f);
  return rowDaysAgo(f.principal.createdAt, TIME.createdAt, f);
}

function field(type: FieldType, scope: FieldScope, description: string, get: (frame: EvalFrame) => unknown): FieldDef {
  return { type, scope, description, get };
}

// The `!` below are safe: the compiler only lets an item's field (key, cert, credential, server
// certificate, service credential, SSH key) be read where that item is set.
const principalFields: Record<string, FieldDef> = {
  'account.id': field('string', 'principal', 'AWS account id', (f) => f.account.id),
  'account.name': field('string', 'principal', 'account name, when known', (f) => f.account.name ?? null),
  'account.ouPath': field('string', 'principal', 'organizational unit path, when known', (f) => f.account.ouPath ?? null),
  'principal.type': field('string', 'principal', "'root' or 'user'", (f) => f.principal.type),
  'principal.name': field('string', 'principal', 'user name', (f) => f.principal.name),
  'principal.arn': field('string', 'principal', 'principal ARN', (f) => f.principal.arn),
  'principal.path': field('string', 'principal', 'IAM path of a user', (f) => f.principal.path ?? null),
  'principal.ageDays': field('number', 'principal', 'days since the user was created', (f) =>
    rowDaysAgo(f.principal.createdAt, TIME.createdAt, f),
  ),
  'principal.mfaActive': field('boolean', 'principal', 'an MFA device is active', (f) => f.principal.mfaActive),
  'password.enabled': field(
    'boolean',
    'principal',
    'console password enabled (null for root: not_supported)',
    (f) => f.principal.password.enabled,
  ),
  'password.lastUsed': field('string', 'principal', 'time the password was last used', (f) => f.principal.password.lastUsed),
  'password.lastUsedDaysAgo': field('number', 'principal', 'days since the password was last used', (f) =>
    rowDaysAgo(f.principal.password.lastUsed, TIME.passwordLastUsed, f),
  ),
  'password.neverUsed': field(
    'boolean',
    'principal',
    'enabled but no recorded use',
    (f) => f.principal.password.lastUsed === null && f.principal.password.enabled !== false,
  ),
  'password.lastChanged': field('string', 'principal', 'time the password was last set', (f) => f.principal.password.lastChanged),
  'password.lastChangedDaysAgo': field('number', 'principal', 'days since the password was last set', (f) =>
    rowDaysAgo(f.principal.password.lastChanged, TIME.passwordLastChanged, f),
  ),
  'password.nextRotationInDays': field('number', 'principal', 'days until the password policy requires a change', (f) => {
    const ago = rowDaysAgo(f.principal.password.nextRotation, TIME.passwordNextRotation, f);
    return ago === null ? null : -ago;
  }),
  'password.daysSinceLastActivity': field(
    'number',
    'principal',
    'days since last use, or since set/created when never used',
    passwordActivityDaysAgo,
  ),
};

const keyFields: Record<string, FieldDef> = {
  'key.slot': field('number', 'key', 'access key slot, 1 or 2', (f) => f.key!.slot),
  'key.active': field('boolean', 'key', 'the key is active', (f) => f.key!.active),
  'key.inUse': field(
    'boolean',
    'key',
    'the slot holds a key (active, or inactive but present)',
    (f) => f.key!.active || f.key!.lastRotated !== null,
  ),
  'key.lastRotated': field('string', 'key', 'time the key was created or rotated', (f) => f.key!.lastRotated),
  'key.ageDays': field('number', 'key', 'days since the key was created or rotated', (f) => keyDaysAgo(f, 'lastRotated')),
  'key.lastUsed': field('string', 'key', 'time the key was last used', (f) => f.key!.lastUsed),
  'key.lastUsedDaysAgo': field('number', 'key', 'days since the key was last used', (f) => keyDaysAgo(f, 'lastUsed')),
  'key.neverUsed': field('boolean', 'key', 'the key has no recorded use', (f) => f.key!.lastUsed === null),
  'key.lastUsedRegion': field('string', 'key', 'region of the last use', (f) => f.key!.lastUsedRegion),
  'key.lastUsedService': field('string', 'key', 'service of the last use', (f) => f.key!.lastUsedService),
  'key.daysSinceLastActivity': field('number', 'key', 'days since last use, or since creation when never used', keyActivityDaysAgo),
};

const certFields: Record<string, FieldDef> = {
  'cert.slot': field('number', 'cert', 'certificate slot, 1 or 2', (f) => f.cert!.slot),
  'cert.active': field('boolean', 'cert', 'the certificate is active', (f) => f.cert!.active),
  'cert.inUse': field('boolean', 'cert', 'the slot holds a certificate', (f) => f.cert!.active || f.cert!.lastRotated !== null),
  'cert.lastRotated': field('string', 'cert', 'time the certificate was uploaded or rotated', (f) => f.cert!.lastRotated),
  'cert.ageDays': field('number', 'cert', 'days since the certificate was uploaded or rotated', (f) => certDaysAgo(f)),
};

const credentialFields: Record<string, FieldDef> = {
  'credential.id': field('string', 'credential', "'password', 'access_key_1' or 'access_key_2'", (f) => f.credential!.id),
  'credential.kind': field('string', 'credential', "'password' or 'access_key'", (f) => f.credential!.kind),
  'credential.enabled': field(
    'boolean',
    'credential',
    'password enabled / key active (null for the root password)',
    (f) => f.credential!.enabled,
  ),
  'credential.ageDays': field('number', 'credential', 'days since the credential was set', (f) =>
    viewDaysAgo(f.credential!.setAt, f.credential!.setAtMs, f),
  ),
  'credential.lastUsed': field('string', 'credential', 'time of last use', (f) => f.credential!.lastUsed),
  'credential.lastUsedDaysAgo': field('number', 'credential', 'days since last use', (f) =>
    viewDaysAgo(f.credential!.lastUsed, f.credential!.lastUsedMs, f),
  ),
  'credential.neverUsed': field('boolean', 'credential', 'no recorded use', (f) => f.credential!.lastUsed === null),
  'credential.daysSinceLastActivity': field(
    'number',
    'credential',
    'days since last use, or since set when never used',
    credentialActivityDaysAgo,
  ),
};

const serverCertificateFields: Record<string, FieldDef> = {
  'serverCertificate.name': field('string', 'serverCertificate', 'ServerCertificateName', (f) => f.serverCertificate!.name),
  'serverCertificate.id': field('string', 'serverCertificate', 'ServerCertificateId', (f) => f.serverCertificate!.id),
  'serverCertificate.arn': field('string', 'serverCertificate', 'ARN of the certificate', (f) => f.serverCertificate!.arn),
  'serverCertificate.path': field('string', 'serverCertificate', 'IAM path of the certificate', (f) => f.serverCertificate!.path),
  'serverCertificate.uploadDate': field('string', 'serverCertificate', 'time it was uploaded', (f) => f.serverCertificate!.uploadDate),
  'serverCertificate.expiration': field('string', 'serverCertificate', 'time it expires', (f) => f.serverCertificate!.expiration),
  'serverCertificate.ageDays': field('number', 'serverCertificate', 'days since it was uploaded', (f) =>
    daysAgo(f.serverCertificate!.uploadDate, f),
  ),
  'serverCertificate.expiresInDays': field('number', 'serverCertificate', 'days until it expires (negative: expired)', (f) =>
    daysUntil(f.serverCertificate!.expiration, f),
  ),
  'serverCertificate.expiredDaysAgo': field('number', 'serverCertificate', 'days since it expired (negative: not yet)', (f) =>
    daysAgo(f.serverCertificate!.expiration, f),
  ),
  'serverCertificate.expired': field(
    'boolean',
    'serverCertificate',
    'it expired at or before the as-of time (null: no expiry known)',
    (f) => {
      const days = daysAgo(f.serverCertificate!.expiration, f);
      return days === null || Number.isNaN(days) ? null : days >= 0;
    },
  ),
};

const serviceCredentialFields: Record<string, FieldDef> = {
  'serviceCredential.id': field('string', 'serviceCredential', 'ServiceSpecificCredentialId', (f) => f.serviceCredential!.id),
  'serviceCredential.service': field(
    'string',
    'serviceCredential',
    'service, e.g. bedrock.amazonaws.com',
    (f) => f.serviceCredential!.service,
  ),
  'serviceCredential.status': field('string', 'serviceCredential', 'Active, Inactive or Expired', (f) => f.serviceCredential!.status),
  'serviceCredential.active': field('boolean', 'serviceCredential', 'status Active', (f) => f.serviceCredential!.status === 'Active'),
  'serviceCredential.isApiKey': field('boolean', 'serviceCredential', 'an API key (Amazon Bedrock, CloudWatch Logs)', (f) =>
    API_KEY_SERVICES.has(f.serviceCredential!.service ?? ''),
  ),
  'serviceCredential.createDate': field('string', 'serviceCredential', 'time it was created', (f) => f.serviceCredential!.createDate),
  'serviceCredential.ageDays': field('number', 'serviceCredential', 'days since it was created', (f) =>
    daysAgo(f.serviceCredential!.createDate, f),
  ),
  'serviceCredential.expiration': field(
    'string',
    'serviceCredential',
    'time it expires (null: never)',
    (f) => f.serviceCredential!.expiration,
  ),
  'serviceCredential.expiresInDays': field('number', 'serviceCredential', 'days until it expires', (f) =>
    daysUntil(f.serviceCredential!.expiration, f),
  ),
  'serviceCredential.neverExpires': field(
    'boolean',
    'serviceCredential',
    'it has no expiry',
    (f) => f.serviceCredential!.expiration === null,
  ),
  'serviceCredential.alias': field('string', 'serviceCredential', 'public part of an API key', (f) => f.serviceCredential!.alias),
  'serviceCredential.serviceUserName': field(
    'string',
    'serviceCredential',
    'user name for the service',
    (f) => f.serviceCredential!.serviceUserName,
  ),
};

const sshPublicKeyFields: Record<string, FieldDef> = {
  'sshPublicKey.id': field('string', 'sshPublicKey', 'SSHPublicKeyId (the CodeCommit SSH user name)', (f) => f.sshPublicKey!.id),
  'sshPublicKey.status': field('string', 'sshPublicKey', 'Active or Inactive', (f) => f.sshPublicKey!.status),
  'sshPublicKey.active': field('boolean', 'sshPublicKey', 'status Active', (f) => f.sshPublicKey!.status === 'Active'),
  'sshPublicKey.uploadDate': field('string', 'sshPublicKey', 'time it was uploaded', (f) => f.sshPublicKey!.uploadDate),
  'sshPublicKey.ageDays': field('number', 'sshPublicKey', 'days since it was uploaded', (f) => daysAgo(f.sshPublicKey!.uploadDate, f)),
};

/**
 * Derived fields under a collector's fact root (so a rule reading them needs that root, as any
 * `facts.*` path): an age must come from the as-of time, which only evaluation knows.
 */
const derivedFactFields: Record<string, FieldDef> = {
  'facts.codeCommitAccess.lastAuthenticatedDaysAgo': field(
    'number',
    'principal',
    "days since the user's last authenticated attempt to use CodeCommit (IAM service last accessed data); null: none in the tracking period",
    (f) => {
      const access = f.principal.facts?.codeCommitAccess;
      const time = access !== null && typeof access === 'object' ? (access as Record<string, unknown>).lastAuthenticated : null;
      const days = typeof time === 'string' ? daysAgo(time, f) : null;
      return days !== null && Number.isFinite(days) ? days : null;
    },
  ),
};

/** Every static field of the rule language, by path. Other `facts.*` and `account.facts.*` paths are dynamic. */
export const FIELDS: Readonly<Record<string, FieldDef>> = {
  ...principalFields,
  ...keyFields,
  ...certFields,
  ...credentialFields,
  ...serverCertificateFields,
  ...serviceCredentialFields,
  ...sshPublicKeyFields,
  ...derivedFactFields,
};

/** Prefixes of open fact maps added by collectors; any path below them is accepted. */
export const FACT_PREFIXES = { 'facts.': 'principal', 'account.facts.': 'account' } as const;

/** Resolves a field path to its definition, including dynamic fact paths; undefined when unknown. */
export function resolveField(path: string): FieldDef | undefined {
  const known = FIELDS[path];
  if (known) return known;
  for (const [prefix, owner] of Object.entries(FACT_PREFIXES)) {
    if (!path.startsWith(prefix) || path.length === prefix.length) continue;
    const segments = path.slice(prefix.length).split('.');
    return field('any', 'principal', `fact ${path}`, (f) => readPath(owner === 'account' ? f.account.facts : f.principal.facts, segments));
  }
  return undefined;
}

/**
 * The fact root a field path reads: the first segment after `facts.` or `account.facts.`
 * (`facts.recovery.password.hasPath` reads `recovery`, `account.facts.rootMfa` reads `rootMfa`),
 * or undefined for a field of the credential report itself. Collectors declare which roots
 * they decided per account (snapshot `factsCollected`), so rules reading others are not evaluated.
 */
export function factRootOf(path: string): string | undefined {
  for (const prefix of Object.keys(FACT_PREFIXES)) {
    if (path.startsWith(prefix) && path.length > prefix.length) return path.slice(prefix.length).split('.')[0];
  }
  return undefined;
}

function readPath(root: unknown, segments: string[]): unknown {
  let node = root;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return null;
    node = (node as Record<string, unknown>)[segment];
  }
  return node ?? null;
}
