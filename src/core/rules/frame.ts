import type { AccessKey, Account, Certificate, Principal } from '../../model/index.js';
import type { ServerCertificateItem, ServiceCredentialItem, SshPublicKeyItem } from './items.js';
import { keyTimeMs, principalTimes, TIME, type PrincipalTimes } from '../report/times.js';

/** The kind of a sign-in credential seen through the unified `credential.*` view. */
export type CredentialKind = 'password' | 'access_key';

/** A password or access key seen through the same fields, so one rule can cover both. */
export interface CredentialView {
  id: 'password' | 'access_key_1' | 'access_key_2';
  kind: CredentialKind;
  enabled: boolean | null;
  /** When it was set: password last changed, key last rotated. */
  setAt: string | null;
  lastUsed: string | null;
  /** `setAt` and `lastUsed` in epoch ms (NaN where the text is null), from the principal's {@link PrincipalTimes}. */
  setAtMs: number;
  lastUsedMs: number;
}

/**
 * Everything a compiled condition can read while evaluating one subject. Fields
 * that a subject does not have (e.g. `key` for a password rule) are undefined.
 */
export interface EvalFrame {
  account: Account;
  principal: Principal;
  /** The as-of time in epoch milliseconds: every age is measured from it. */
  asOfMs: number;
  /** The principal's times as numbers (set by evaluation); when unset, fields parse the principal's text. */
  times?: PrincipalTimes;
  key?: AccessKey;
  cert?: Certificate;
  credential?: CredentialView;
  serverCertificate?: ServerCertificateItem;
  serviceCredential?: ServiceCredentialItem;
  sshPublicKey?: SshPublicKeyItem;
}

/** Whether an access key or certificate slot holds a credential at all. */
export function slotInUse(slot: { active: boolean; lastRotated: string | null }): boolean {
  return slot.active || slot.lastRotated !== null;
}

/** The password and every access key in use, as unified credential views. */
export function credentialsOf(principal: Principal, times: PrincipalTimes = principalTimes(principal)): CredentialView[] {
  const { password } = principal;
  const views: CredentialView[] = [
    {
      id: 'password',
      kind: 'password',
      enabled: password.enabled,
      setAt: password.lastChanged ?? principal.createdAt,
      lastUsed: password.lastUsed,
      // The time `setAt` takes (`??` passes over null and undefined).
      setAtMs:
        password.lastChanged === null || password.lastChanged === undefined ? times[TIME.createdAt]! : times[TIME.passwordLastChanged]!,
      lastUsedMs: times[TIME.passwordLastUsed]!,
    },
  ];
  for (const key of principal.accessKeys) {
    if (!slotInUse(key)) continue;
    views.push({
      id: key.slot === 1 ? 'access_key_1' : 'access_key_2',
      kind: 'access_key',
      enabled: key.active,
      setAt: key.lastRotated,
      lastUsed: key.lastUsed,
      setAtMs: keyTimeMs(principal, times, key, 'lastRotated'),
      lastUsedMs: keyTimeMs(principal, times, key, 'lastUsed'),
    });
  }
  return views;
}
