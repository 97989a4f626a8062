import type { Account, Credential, Finding, Principal } from '../../model/index.js';
import { sha256Id } from '../util/hash.js';
import { parseTimestamp } from '../util/time.js';
import { credentialsOf, slotInUse, type CredentialView, type EvalFrame } from '../rules/frame.js';
import type { CompiledRule, Ruleset } from '../rules/ruleset.js';
import { timesOfPrincipals } from '../report/times.js';
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
    times: undefined,
    key: undefined,
    cert: undefined,
    credential: undefined,
    principalRef: undefined,
  };
  // The rules that apply to each principal type, chosen once per account, not per principal.
  const rulesOf = new Map<string, CompiledRule[]>();
  const principals = account.principals;
  // Parsed when the report was read: every age the rules read comes from these numbers.
  const times = timesOfPrincipals(principals);
  for (let i = 0; i < principals.length; i++) {
    const principal = principals[i]!;
    let rules = rulesOf.get(principal.type);
    if (!rules) rulesOf.set(principal.type, (rules = ruleset.rules.filter((r) => r.appliesTo.has(principal.type))));
    frame.principal = principal;
    frame.times = times[i];
    frame.principalRef = undefined;
    evaluatePrincipal(frame, rules, findings);
  }
  return findings;
}

/**
 * Every rule on the frame's principal, its findings added to `findings`. A function of its own
 * (called per principal, so it is optimised early) with indexed loops: an array iterator costs
 * an object per step until the code is optimised.
 */
function evaluatePrincipal(frame: FindingFrame, rules: readonly CompiledRule[], findings: Finding[]): void {
  const { account, principal } = frame;
  let credentials: CredentialView[] | undefined;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    switch (rule.subject) {
      case 'principal':
      case 'password':
        if (rule.predicate(frame)) findings.push(toFinding(rule, frame, rule.subject === 'password' ? 'password' : null));
        break;
      case 'accessKey':
        for (let k = 0; k < principal.accessKeys.length; k++) {
          const key = principal.accessKeys[k]!;
          if (!slotInUse(key)) continue;
          frame.key = key;
          if (rule.predicate(frame)) findings.push(toFinding(rule, frame, key.slot === 1 ? 'access_key_1' : 'access_key_2'));
        }
        frame.key = undefined;
        break;
      case 'certificate':
        for (let c = 0; c < principal.certificates.length; c++) {
          const cert = principal.certificates[c]!;
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
        // Only a live scan collects them: without the fact there is nothing to list.
        if (principal.facts?.serviceCredentials === undefined) break;
        for (const item of serviceCredentialsOf(principal)) {
          frame.serviceCredential = item;
          if (rule.predicate(frame)) findings.push(toFinding(rule, frame, `${ITEM_CREDENTIAL_PREFIX.serviceCredential}:${item.id}`));
        }
        frame.serviceCredential = undefined;
        break;
      case 'sshPublicKey':
        if (principal.facts?.sshPublicKeys === undefined) break;
        for (const item of sshPublicKeysOf(principal)) {
          frame.sshPublicKey = item;
          if (rule.predicate(frame)) findings.push(toFinding(rule, frame, `${ITEM_CREDENTIAL_PREFIX.sshPublicKey}:${item.id}`));
        }
        frame.sshPublicKey = undefined;
        break;
      case 'credential':
        credentials ??= credentialsOf(principal, frame.times);
        for (let c = 0; c < credentials.length; c++) {
          const credential = credentials[c]!;
          frame.credential = credential;
          if (rule.predicate(frame)) findings.push(toFinding(rule, frame, credential.id));
        }
        frame.credential = undefined;
        break;
    }
  }
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
    // The plan stage names the finding's plan in place (namePlans): with the member present
    // from the start the object keeps its shape (no new hidden class, no property store).
    remediation: { procedure: rule.procedure, planId: undefined },
    status: 'open',
    fingerprint: fingerprint(rule.id, account.id, principal, credential),
  };
}

/**
 * A stable identity for a finding: the same rule on the same credential of the same
 * principal gives the same fingerprint in every scan, whatever the ages or messages.
 */
export function fingerprint(ruleId: string, accountId: string, principal: Pick<Principal, 'arn'>, credential: Credential): string {
  return sha256Id('', `${ruleId}\u0000${accountId}\u0000${principal.arn}\u0000${credential ?? ''}`, 32);
}
