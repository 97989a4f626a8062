/**
 * Who signed a request. The sandbox reads the access key id from the SigV4 Authorization header
 * (and, with `verifySignatures`, checks the signature: see signature.ts) and maps it to an account: the fixed caller keys belong to the
 * management account; every AssumeRole issues fresh keys bound to the role's account.
 */
import { randomBytes } from 'node:crypto';
import { hashSeed } from './random.js';

/** A set of credentials the sandbox knows. */
export interface SandboxPrincipal {
  accessKeyId: string;
  accountId: string;
  /** Caller identity ARN (GetCallerIdentity). */
  arn: string;
  userId: string;
  /** Required X-Amz-Security-Token for temporary keys. */
  sessionToken?: string;
  /** Expiry (ms) of temporary keys. */
  expiresAt?: number;
  /** Set for assumed-role sessions. */
  roleName?: string;
  /** Set for sts:AssumeRoot sessions: the task policy that limits them. */
  taskPolicy?: string;
}

/** The base credentials handed to clients: fake, never valid anywhere but the sandbox. */
export interface SandboxCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Default base credentials; configurable through startSandbox options. */
export const DEFAULT_CALLER_CREDENTIALS: SandboxCredentials = {
  accessKeyId: 'AKIASANDBOXCALLER000',
  secretAccessKey: 'sandbox/secret/not-a-real-key/0000000000',
};

/** Extracts the access key id from `AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, ...`. */
export function signingKeyId(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /Credential=([^/,\s]+)\//.exec(authorization);
  return match?.[1];
}

/** The signing scope's service name (iam, sts, organizations), used as a routing fallback. */
export function signingService(authorization: string | undefined): string | undefined {
  const match = authorization === undefined ? null : /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(authorization);
  return match?.[1];
}

/** Known credentials, by access key id. */
export class KeyStore {
  private readonly byKey = new Map<string, SandboxPrincipal>();
  /** Secret keys by access key id, for signature checks; never logged or returned. */
  private readonly secrets = new Map<string, string>();
  private issued = 0;

  constructor(
    readonly caller: SandboxPrincipal,
    callerSecretAccessKey: string,
  ) {
    this.byKey.set(caller.accessKeyId, caller);
    this.secrets.set(caller.accessKeyId, callerSecretAccessKey);
  }

  /** The secret key of a known access key id (to verify signatures). */
  secretOf(accessKeyId: string): string | undefined {
    return this.secrets.get(accessKeyId);
  }

  /** The principal for an access key id, or undefined when the key is unknown. */
  lookup(accessKeyId: string): SandboxPrincipal | undefined {
    return this.byKey.get(accessKeyId);
  }

  /** Issues temporary credentials for an assumed-role session in `accountId`. */
  issue(
    accountId: string,
    roleName: string,
    sessionName: string,
    partition: string,
    expiresAt: number,
  ): SandboxPrincipal & { secretAccessKey: string } {
    this.issued += 1;
    // ASIA + 16 uppercase base-36 characters: the shape of a real temporary key id.
    const accessKeyId = `ASIA${this.issued.toString(36).toUpperCase().padStart(16, '0')}`;
    // A stable role id per (account, role), shaped like AWS's: AROA + 17 characters.
    const roleId = `AROA${(hashSeed(accountId, roleName).toString(36) + hashSeed(roleName, accountId).toString(36)).toUpperCase().padEnd(17, 'X').slice(0, 17)}`;
    const principal: SandboxPrincipal = {
      accessKeyId,
      accountId,
      arn: `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
      userId: `${roleId}:${sessionName}`,
      sessionToken: randomBytes(48).toString('base64'),
      expiresAt,
      roleName,
    };
    const secretAccessKey = randomBytes(30).toString('base64');
    this.byKey.set(accessKeyId, principal);
    this.secrets.set(accessKeyId, secretAccessKey);
    return { ...principal, secretAccessKey };
  }

  /** Issues temporary credentials for a privileged root session (sts:AssumeRoot) in `accountId`, limited to `taskPolicy`. */
  issueRoot(accountId: string, taskPolicy: string, partition: string, expiresAt: number): SandboxPrincipal & { secretAccessKey: string } {
    this.issued += 1;
    const accessKeyId = `ASIA${this.issued.toString(36).toUpperCase().padStart(16, '0')}`;
    const principal: SandboxPrincipal = {
      accessKeyId,
      accountId,
      arn: `arn:${partition}:iam::${accountId}:root`,
      userId: accountId,
      sessionToken: randomBytes(48).toString('base64'),
      expiresAt,
      taskPolicy,
    };
    const secretAccessKey = randomBytes(30).toString('base64');
    this.byKey.set(accessKeyId, principal);
    this.secrets.set(accessKeyId, secretAccessKey);
    return { ...principal, secretAccessKey };
  }

  /** Number of temporary credentials issued so far. */
  get issuedCount(): number {
    return this.issued;
  }
}
