/**
 * Account context facts (read-only). Each call that is denied or fails leaves its facts
 * at 'unknown' and records why in `contextUnknown`; it never fails the account.
 */
import {
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  ListOrganizationsFeaturesCommand,
  ListVirtualMFADevicesCommand,
  type IAMClient,
  type VirtualMFADevice,
} from '@aws-sdk/client-iam';
import type { Principal } from '../../model/index.js';
import { describeError, errorCode } from './errors.js';
import type { ContextMode, ContextNeeds } from './options.js';

/** The value of a fact that could not be read. */
export const UNKNOWN = 'unknown';

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

/** Reads ListOrganizationsFeatures once; never throws. */
export async function readOrganizationFeatures(iam: IAMClient): Promise<Pick<OrganizationFacts, 'rootCredentialsManagement' | 'rootSessions' | 'unknownBecause'>> {
  try {
    const out = await iam.send(new ListOrganizationsFeaturesCommand({}));
    const features = new Set<string>(out.EnabledFeatures ?? []);
    return { rootCredentialsManagement: features.has('RootCredentialsManagement'), rootSessions: features.has('RootSessions') };
  } catch (error) {
    return { rootCredentialsManagement: UNKNOWN, rootSessions: UNKNOWN, unknownBecause: `ListOrganizationsFeatures: ${describeError(error)}` };
  }
}

/** Which calls to make for one account. */
export interface ContextPlan {
  summary: boolean;
  mfaDevices: boolean;
  passwordPolicy: boolean;
}

/**
 * Plans the context calls of one account. `auto` keeps the fresh-report path at two calls
 * unless a call can change a finding: the MFA device list only when root has MFA and a rule
 * reads rootMfa; the summary only when the organisation manages root credentials centrally
 * and the root user has no MFA (it can clear the root-MFA finding) or a rule reads it.
 */
export function planContext(mode: ContextMode, needs: ContextNeeds, root: Principal | undefined, centralRoot: boolean | typeof UNKNOWN, isMember: boolean): ContextPlan {
  if (mode === 'none') return { summary: false, mfaDevices: false, passwordPolicy: false };
  if (mode === 'all') return { summary: true, mfaDevices: true, passwordPolicy: true };
  const rootMfa = root?.mfaActive === true;
  return {
    summary: needs.summary || (centralRoot === true && isMember && !rootMfa),
    mfaDevices: needs.rootMfa && rootMfa,
    passwordPolicy: needs.passwordPolicy,
  };
}

type Facts = Record<string, unknown>;

async function attempt(name: string, unknown: string[], call: () => Promise<void>): Promise<void> {
  try {
    await call();
  } catch (error) {
    unknown.push(`${name}: ${describeError(error)}`);
  }
}

function rootMfaKind(devices: VirtualMFADevice[], partition: string, accountId: string): 'virtual' | 'hardware' {
  const rootArn = `arn:${partition}:iam::${accountId}:root`;
  const virtual = devices.some((d) => d.User?.Arn === rootArn || (d.SerialNumber ?? '').endsWith(':mfa/root-account-mfa-device'));
  return virtual ? 'virtual' : 'hardware';
}

/**
 * Reads the planned context calls into account facts:
 * `rootMfa` ('hardware' | 'virtual' | 'none' | 'unknown'), `accountSummary` (SummaryMap or 'unknown'),
 * `rootCredentialsPresent` (boolean or 'unknown'), `passwordPolicy` (object, 'none' or 'unknown'),
 * `contextUnknown` (why any fact is unknown).
 */
export async function readAccountContext(iam: IAMClient, plan: ContextPlan, root: Principal | undefined, partition: string, accountId: string): Promise<Facts> {
  const unknown: string[] = [];
  const facts: Facts = {
    rootMfa: root && !root.mfaActive ? 'none' : UNKNOWN,
    accountSummary: UNKNOWN,
    rootCredentialsPresent: UNKNOWN,
    passwordPolicy: UNKNOWN,
  };
  const calls: Promise<void>[] = [];
  if (plan.summary) {
    calls.push(
      attempt('GetAccountSummary', unknown, async () => {
        const map: Record<string, number | undefined> = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap ?? {};
        facts.accountSummary = map;
        const present = ['AccountPasswordPresent', 'AccountAccessKeysPresent', 'AccountSigningCertificatesPresent', 'AccountMFAEnabled'];
        if (present.every((k) => typeof map[k] === 'number')) facts.rootCredentialsPresent = present.some((k) => (map[k] ?? 0) > 0);
      }),
    );
  }
  if (plan.mfaDevices && root?.mfaActive) {
    calls.push(
      attempt('ListVirtualMFADevices', unknown, async () => {
        const devices: VirtualMFADevice[] = [];
        let Marker: string | undefined;
        do {
          const out = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned', Marker }));
          devices.push(...(out.VirtualMFADevices ?? []));
          Marker = out.IsTruncated ? out.Marker : undefined;
        } while (Marker);
        facts.rootMfa = rootMfaKind(devices, partition, accountId);
      }),
    );
  }
  if (plan.passwordPolicy) {
    calls.push(
      attempt('GetAccountPasswordPolicy', unknown, async () => {
        try {
          facts.passwordPolicy = (await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy ?? 'none';
        } catch (error) {
          const code = errorCode(error);
          if (code !== 'NoSuchEntity' && code !== 'NoSuchEntityException') throw error;
          facts.passwordPolicy = 'none';
        }
      }),
    );
  }
  await Promise.all(calls);
  if (unknown.length > 0) facts.contextUnknown = unknown.sort();
  return facts;
}
