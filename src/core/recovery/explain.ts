import type { MatchedStatement } from '../policy/index.js';
import type { AccountRecovery, CredentialRecovery, MfaRecovery, PasswordRecovery, RecoveryPath, UserRecovery } from './types.js';

/** Everything `credwarden explain` shows for one user. */
export interface Explanation {
  accountId: string;
  userArn: string;
  recovery: UserRecovery;
  account: AccountRecovery;
  paths: RecoveryPath[];
}

const DECISION_LABEL: Record<RecoveryPath['decision'], string> = {
  allow: 'ALLOWED',
  deny: 'DENIED (explicit deny)',
  implicitDeny: 'not allowed (no Allow in every layer)',
  unknown: 'UNKNOWN',
};

function statementLine(s: MatchedStatement): string {
  const where = s.layer === 'scp' ? `SCP at ${s.scpTarget ?? '?'}` : s.layer === 'boundary' ? 'permissions boundary' : 'identity policy';
  const id = s.sid ? `Sid ${s.sid}` : `statement #${s.index}`;
  const policy = s.policyArn ? `${s.policyName} (${s.policyArn})` : s.policyName;
  const via = s.attachedVia && s.layer === 'identity' ? ` via ${s.attachedVia}` : '';
  const cond = s.conditional ? ` — conditional on ${(s.unknownKeys ?? []).join(', ') || 'unknown keys'}` : '';
  return `      ${s.effect.padEnd(5)} ${where}: ${policy}${via}, ${id}${cond}`;
}

function pathLines(p: RecoveryPath): string[] {
  const who = p.via === 'self' ? 'the user itself' : p.via === 'root' ? 'root user' : `${p.via} ${p.principal}`;
  const cond = p.conditional && p.decision === 'allow' ? ', conditional' : '';
  const lines = [`  - ${who}: ${p.action} ${DECISION_LABEL[p.decision]}${cond}`];
  if (p.note) lines.push(`      note: ${p.note}`);
  if (p.assumableBy) {
    const who = p.assumableBy.map((e) => `${e.kind} ${e.id}${e.conditional ? ' (conditional)' : ''}`);
    lines.push(`      assumable by: ${who.length > 0 ? who.join('; ') : 'nobody'}`);
  }
  // SCP allows (FullAWSAccess at every level, usually) are summarised on one line.
  const scpAllows = p.statements.filter((s) => s.layer === 'scp' && s.effect === 'Allow' && !s.conditional);
  lines.push(...p.statements.filter((s) => !scpAllows.includes(s)).map(statementLine));
  if (scpAllows.length > 0) lines.push(`      Allow SCPs: ${scpAllows.map((s) => `${s.policyName} at ${s.scpTarget ?? '?'}`).join(', ')}`);
  if (p.statements.length === 0 && p.via !== 'root') lines.push('      (no statement applies)');
  return lines;
}

function selfLabel(r: CredentialRecovery): string {
  const via = (r as Partial<PasswordRecovery>).selfServiceVia;
  if (!r.selfService) return 'no self-service';
  // Changing a password needs the current one: it does not recover a forgotten password.
  return via && !via.includes('update-login-profile') ? 'self-service change only (needs the current password)' : 'self-service';
}

function requiredLine(r: CredentialRecovery): string {
  return `  reset takes: ${r.requiredActions.map((set) => set.join(' + ')).join(', or ')}`;
}

function passwordLine(p: PasswordRecovery): string {
  const expiry = p.hardExpiry
    ? `hard expiry: on${p.expiredPasswordSelfReset ? ' (the user can still change an expired password through the API: iam:ChangePassword and an active key)' : ''}${p.hardExpiryLockout ? ' — LOCK-OUT when the password expires' : ''}`
    : 'hard expiry: off';
  return `  self-service via: ${p.selfServiceVia.join(', ') || 'none'}; iam:ChangePassword on itself: ${p.changePasswordAllowed ? 'allowed' : 'not allowed'}; ${expiry}`;
}

function mfaLine(m: MfaRecovery): string {
  return `  device: ${m.deviceActive ? 'registered (console sign-in needs it)' : 'none'}; policies require MFA: ${m.requiredByPolicies ? 'yes (a password reset alone does not let the user work)' : 'no'}`;
}

function summaryLine(r: CredentialRecovery): string {
  if (r.unknown) return `UNKNOWN — ${r.reason ?? 'missing data'}`;
  const parts = [
    selfLabel(r),
    `${r.administratorCount} administrator(s)${r.administrators.length > 0 ? `: ${r.administrators.join(', ')}` : ''}`,
    `root fallback: ${r.rootFallback}`,
  ];
  if (r.conditional) parts.push('every path is conditional');
  if (!r.hasPath) parts.push(r.rootOnly ? 'ONLY ROOT can reset it' : 'NO PATH (not even root)');
  return parts.join('; ');
}

function rootRecoveryLabel(a: AccountRecovery): string {
  if (a.rootRecovery !== 'after-root-password-recovery') return a.rootRecovery;
  const sessions = a.rootSessionsEnabled === false ? ', which needs RootSessions enabled first' : '';
  return `after root password recovery (root credentials are centrally managed: the management account allows it with sts:AssumeRoot and the ${a.rootRecoveryTaskPolicy ?? 'IAMCreateRootUserPassword'} task policy${sessions})`;
}

/** Renders an explanation as plain text: per credential, the summary, then every path with its statements. */
export function formatExplanation(e: Explanation): string {
  const out = [`Recovery paths for ${e.userArn} (account ${e.accountId})`, ''];
  const sections: [string, RecoveryPath['credential'], CredentialRecovery][] = [
    ['Password', 'password', e.recovery.password],
    ['Access keys', 'accessKeys', e.recovery.accessKeys],
  ];
  // Snapshots saved before MFA was analysed have no mfa section.
  if (e.recovery.mfa) sections.push(['MFA device', 'mfa', e.recovery.mfa]);
  for (const [title, credential, summary] of sections) {
    out.push(`${title}: ${summaryLine(summary)}`);
    if (summary.requiredActions) out.push(requiredLine(summary));
    if (credential === 'password') out.push(passwordLine(e.recovery.password));
    if (credential === 'mfa') out.push(mfaLine(e.recovery.mfa));
    for (const path of e.paths.filter((p) => p.credential === credential)) out.push(...pathLines(path));
    out.push('');
  }
  out.push(
    `Account: ${e.account.administratorCount} administrator(s)${e.account.singleAdministrator ? ' — SINGLE ADMINISTRATOR' : ''}; root recovery: ${rootRecoveryLabel(e.account)}`,
  );
  if (e.account.crossAccountAdministrators?.length)
    out.push(`  reachable from the management account through: ${e.account.crossAccountAdministrators.join(', ')}`);
  out.push('Assumptions:', ...e.account.assumptions.map((a) => `  - ${a}`), '');
  return out.join('\n');
}
