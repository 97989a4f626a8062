import type { Account, Credential, Finding, Principal } from '../../model/index.js';
import { sha256 } from '../util/hash.js';
import { parseTimestamp } from '../util/time.js';
import { credentialsOf, slotInUse, type CredentialView, type EvalFrame } from '../rules/frame.js';
import type { CompiledRule, Ruleset } from '../rules/ruleset.js';
import { ITEM_CREDENTIAL_PREFIX, serverCertificatesOf, serviceCredentialsOf, sshPublicKeysOf } from '../rules/items.js';

/**
 * The as-of time of an account: an explicit override, else the account's own
 * as-of, else its report's generated time. Never the wall clock.
 */
export function accountAsOf(account: Account, override?: string): string {
  return override ?? account.asOf ?? account.reportGeneratedTime;
}

/**
 * Evaluates every rule of the ruleset against every principal of one account.
 * Deterministic: the same account, rules and as-of time give the same findings in the same order.
 */
export function evaluateAccount(account: Account, ruleset: Ruleset, asOfOverride?: string): Finding[] {
  const asOfMs = parseTimestamp(accountAsOf(account, asOfOverride));
  if (Number.isNaN(asOfMs))
    throw new Error(`account ${account.id}: as-of time '${accountAsOf(account, asOfOverride)}' is not an ISO 8601 time`);
  const findings: Finding[] = [];
  // One frame per account, updated in place: predicates, messages and evidence read it
  // synchronously and never keep it, so a million principals cost no frame garbage.
  const frame: FindingFrame = {
    account,
    principal: account.principals[0] as Principal,
    asOfMs,
    key: undefined,
    cert: undefined,
    credential: undefined,
    principalRef: undefined,
  };
  for (const principal of account.principals) {
    frame.principal = principal;
    frame.principalRef = undefined;
    let credentials: CredentialView[] | undefined;
    for (const rule of ruleset.rules) {
      if (!rule.appliesTo.has(principal.type)) continue;
      switch (rule.subject) {
        case 'principal':
        case 'password':
          if (rule.predicate(frame)) findings.push(toFinding(rule, frame, rule.subject === 'password' ? 'password' : null));
          break;
        case 'accessKey':
          for (const key of principal.accessKeys) {
            if (!slotInUse(key)) continue;
            frame.key = key;
            if (rule.predicate(frame)) findings.push(toFinding(rule, frame, key.slot === 1 ? 'access_key_1' : 'access_key_2'));
          }
          frame.key = undefined;
          break;
        case 'certificate':
          for (const cert of principal.certificates) {
            if (!slotInUse(cert)) continue;
            frame.cert = cert;
            if (rule.predicate(frame)) findings.push(toFinding(rule, frame, cert.slot === 1 ? 'cert_1' : 'cert_2'));
          }
          frame.cert = undefined;
          break;
        case 'serverCertificate':
          // The account's certificates, evaluated once per account: on its root user row.
          if (principal.type !== 'root') break;
          for (const item of serverCertificatesOf(account)) {
            frame.serverCertificate = item;
            if (rule.predicate(frame)) findings.push(toFinding(rule, frame, `${ITEM_CREDENTIAL_PREFIX.serverCertificate}:${item.name}`));
          }
          frame.serverCertificate = undefined;
          break;
        case 'serviceCredential':
          for (const item of serviceCredentialsOf(principal)) {
            frame.serviceCredential = item;
            if (rule.predicate(frame)) findings.push(toFinding(rule, frame, `${ITEM_CREDENTIAL_PREFIX.serviceCredential}:${item.id}`));
          }
          frame.serviceCredential = undefined;
          break;
        case 'sshPublicKey':
          for (const item of sshPublicKeysOf(principal)) {
            frame.sshPublicKey = item;
            if (rule.predicate(frame)) findings.push(toFinding(rule, frame, `${ITEM_CREDENTIAL_PREFIX.sshPublicKey}:${item.id}`));
          }
          frame.sshPublicKey = undefined;
          break;
        case 'credential':
          credentials ??= credentialsOf(principal);
          for (const credential of credentials) {
            frame.credential = credential;
            if (rule.predicate(frame)) findings.push(toFinding(rule, frame, credential.id));
          }
          frame.credential = undefined;
          break;
      }
    }
  }
  return findings;
}

/** The evaluation frame, and the principal as the current principal's findings name it (made by its first finding). */
interface FindingFrame extends EvalFrame {
  principalRef: Finding['principal'] | undefined;
}

function toFinding(rule: CompiledRule, frame: FindingFrame, credential: Credential): Finding {
  const { account, principal } = frame;
  // One principal object for all the principal's findings: nothing changes a finding's principal.
  frame.principalRef ??= { type: principal.type, name: principal.name, arn: principal.arn };
  return {
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    accountId: account.id,
    accountName: account.name ?? null,
    ouPath: account.ouPath ?? null,
    principal: frame.principalRef,
    credential,
    message: rule.message(frame),
    evidence: rule.evidence(frame),
    frameworks: rule.frameworks,
    remediation: { procedure: rule.procedure },
    status: 'open',
    fingerprint: fingerprint(rule.id, account.id, principal, credential),
  };
}

/**
 * A stable identity for a finding: the same rule on the same credential of the same
 * principal gives the same fingerprint in every scan, whatever the ages or messages.
 */
export function fingerprint(ruleId: string, accountId: string, principal: Pick<Principal, 'arn'>, credential: Credential): string {
  return sha256([ruleId, accountId, principal.arn, credential ?? ''].join('\u0000')).slice(0, 32);
}
