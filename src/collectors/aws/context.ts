/**
 * Account context facts (read-only). Each call that is denied or fails leaves its facts
 * at 'unknown' and records why in `contextUnknown`; it never fails the account.
 */
import {
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  ListOrganizationsFeaturesCommand,
  paginateListVirtualMFADevices,
  type IAMClient,
  type VirtualMFADevice,
} from '@aws-sdk/client-iam';
import type { Principal } from '../../model/index.js';
import { describeError, hasCode } from './errors.js';
import { allItems, pagination, untilComplete } from './pages.js';
import { factsBeforeCalls, UNKNOWN, type ContextPlan } from './context-plan.js';

// The parts that need no call live in ./context-plan.ts (the main thread loads them without the SDK).
export {
  contextAvailability,
  planContext,
  planWithoutCalls,
  UNKNOWN,
  withAvailability,
  type ContextPlan,
  type FactAvailability,
} from './context-plan.js';

/** Facts about the organisation, read once from the caller's (management) account. */
export interface OrganizationFacts {
  /** Id of the management account, when known. */
  managementAccountId?: string;
  /** Whether the organisation manages member accounts' root credentials centrally. */
  rootCredentialsManagement: boolean | typeof UNKNOWN;
  /** Whether privileged root sessions are enabled for member accounts. */
  rootSessions: boolean | typeof UNKNOWN;
  /** Why facts are unknown. */
  unknownBecause?: string;
}

/**
 * ListOrganizationsFeatures errors that prove the features are off: without an organisation,
 * without all features, or without trusted access for IAM, root credentials cannot be centrally
 * managed. Any other error (not the management account or delegated administrator, denied,
 * throttled) leaves them unknown.
 */
const FEATURES_OFF: ReadonlySet<string> = new Set([
  'OrganizationNotFoundException',
  'OrganizationNotInAllFeaturesModeException',
  'ServiceAccessNotEnabledException',
]);

/** Reads ListOrganizationsFeatures once; never throws. */
export async function readOrganizationFeatures(
  iam: IAMClient,
): Promise<Pick<OrganizationFacts, 'rootCredentialsManagement' | 'rootSessions' | 'unknownBecause'>> {
  try {
    const out = await iam.send(new ListOrganizationsFeaturesCommand({}));
    const features = new Set<string>(out.EnabledFeatures ?? []);
    return { rootCredentialsManagement: features.has('RootCredentialsManagement'), rootSessions: features.has('RootSessions') };
  } catch (error) {
    if (hasCode(error, FEATURES_OFF)) return { rootCredentialsManagement: false, rootSessions: false };
    return {
      rootCredentialsManagement: UNKNOWN,
      rootSessions: UNKNOWN,
      unknownBecause: `ListOrganizationsFeatures: ${describeError(error)}`,
    };
  }
}

type Facts = Record<string, unknown>;

/** GetAccountPasswordPolicy's 404 (wire code and SDK class): the account has no password policy. */
export const NO_SUCH_ENTITY: ReadonlySet<string> = new Set(['NoSuchEntity', 'NoSuchEntityException']);

async function attempt(name: string, unknown: string[], call: () => Promise<void>): Promise<void> {
  try {
    await call();
  } catch (error) {
    unknown.push(`${name}: ${describeError(error)}`);
  }
}

/**
 * Whether root's MFA is a virtual device. Root's virtual devices are listed with `User.Arn`
 * `arn:PARTITION:iam::ACCOUNT:root` (serial `…:mfa/root-account-mfa-device`, or any name since
 * root may have several devices). A root with MFA and no virtual device assigned to it uses a
 * hardware device (TOTP token or FIDO security key).
 */
function rootMfaKind(devices: VirtualMFADevice[], accountId: string): 'virtual' | 'hardware' {
  const rootArn = new RegExp(`^arn:[\\w-]+:iam::${accountId}:root$`);
  const assignedToRoot = (d: VirtualMFADevice) => {
    if (d.User?.Arn !== undefined) return rootArn.test(d.User.Arn);
    // Some endpoints omit User for root: the default root serial counts only when the device is enabled.
    return (
      d.EnableDate !== undefined &&
      /:mfa\/root-account-mfa-device$/.test(d.SerialNumber ?? '') &&
      (d.SerialNumber ?? '').includes(`::${accountId}:`)
    );
  };
  return devices.some(assignedToRoot) ? 'virtual' : 'hardware';
}

/** The summary keys that say whether root has any credential; absent keys are unknown. */
const ROOT_CREDENTIAL_KEYS = [
  'AccountPasswordPresent',
  'AccountAccessKeysPresent',
  'AccountSigningCertificatesPresent',
  'AccountMFAEnabled',
];

/** true when any root credential is present, false when the summary shows none, else unknown. */
function rootCredentialsPresent(map: Record<string, number | undefined>): boolean | typeof UNKNOWN {
  if (ROOT_CREDENTIAL_KEYS.some((k) => (map[k] ?? 0) > 0)) return true;
  return ROOT_CREDENTIAL_KEYS.every((k) => typeof map[k] === 'number') ? false : UNKNOWN;
}

/**
 * Reads the planned context calls into account facts:
 * `rootMfa` ('hardware' | 'virtual' | 'none' | 'unknown'), `accountSummary` (SummaryMap or 'unknown'),
 * `rootCredentialsPresent` (boolean or 'unknown'), `passwordPolicy` (object, 'none' or 'unknown'),
 * `contextUnknown` (why any fact is unknown).
 */
export async function readAccountContext(
  iam: IAMClient,
  plan: ContextPlan,
  root: Principal | undefined,
  _partition: string,
  accountId: string,
): Promise<Facts> {
  const unknown: string[] = [];
  const facts: Facts = factsBeforeCalls(root);
  const calls: Promise<void>[] = [];
  if (plan.summary) {
    calls.push(
      attempt('GetAccountSummary', unknown, async () => {
        const map: Record<string, number | undefined> = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap ?? {};
        facts.accountSummary = map;
        facts.rootCredentialsPresent = rootCredentialsPresent(map);
        // Centralized root access makes only new member accounts passwordless: older roots keep theirs.
        if (typeof map.AccountPasswordPresent === 'number') facts.rootPasswordPresent = map.AccountPasswordPresent > 0;
      }),
    );
  }
  if (plan.mfaDevices && root?.mfaActive) {
    calls.push(
      attempt('ListVirtualMFADevices', unknown, async () => {
        const devices = await allItems(
          untilComplete(paginateListVirtualMFADevices(pagination(iam), { AssignmentStatus: 'Assigned' })),
          (page) => page.VirtualMFADevices,
        );
        facts.rootMfa = rootMfaKind(devices, accountId);
      }),
    );
  }
  if (plan.passwordPolicy) {
    calls.push(
      attempt('GetAccountPasswordPolicy', unknown, async () => {
        try {
          facts.passwordPolicy = (await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy ?? 'none';
        } catch (error) {
          if (!hasCode(error, NO_SUCH_ENTITY)) throw error;
          facts.passwordPolicy = 'none';
        }
      }),
    );
  }
  await Promise.all(calls);
  if (unknown.length > 0) facts.contextUnknown = unknown.sort();
  return facts;
}
