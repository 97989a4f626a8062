import type { Credential } from '../../model/index.js';
import type { PrincipalFacts, SlotFacts } from './facts.js';
import { slotOf } from './facts.js';

/** Values a procedure template can use, by placeholder name. */
export type TemplateVars = Readonly<Record<string, string>>;

/** Placeholders that make a step specific to one credential (else it is about the whole principal). */
const CREDENTIAL_PLACEHOLDERS = ['slot', 'otherSlot', 'keyId', 'otherKeyId', 'certSlot', 'certId', 'lastRotated', 'lastUsed'];

/** Replaces `{name}` by its value; an unknown name becomes an upper-case `<NAME>` for the reader to fill in. */
export function fill(template: string, vars: TemplateVars): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => vars[name] ?? `<${name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}>`);
}

/** Characters that need no quoting in a POSIX shell word (every real IAM name and ARN fits). */
const SHELL_SAFE = /^[A-Za-z0-9+=,.@_:/-]+$/;

/** A placeholder the reader replaces, e.g. <ACCESS_KEY_ID_1>: left as it is. */
const PLACEHOLDER = /^<[A-Z0-9_]+>$/;

/**
 * Quotes a value for a shell command. Real IAM names never need it, but a tampered
 * report must not turn a copied command into `$(...)` or `; rm`.
 */
export function shellQuote(value: string): string {
  if (SHELL_SAFE.test(value) || PLACEHOLDER.test(value)) return value;
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/** Fills a command template, shell-quoting every value. */
export function fillCommand(template: string, vars: TemplateVars): string {
  return fill(template, Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, shellQuote(v)])));
}

/** Whether a step's templates mention any credential-specific placeholder. */
export function mentionsCredential(templates: readonly string[]): boolean {
  return templates.some((t) => CREDENTIAL_PLACEHOLDERS.some((name) => t.includes(`{${name}}`)));
}

/** Whole days for people: "less than a day", "1 day", "12 days". */
export function formatDays(days: number): string {
  if (days < 1) return 'less than a day';
  const whole = Math.floor(days);
  return whole === 1 ? '1 day' : `${whole} days`;
}

/** The placeholder a command uses for the id of access key `slot`. */
export function keyIdPlaceholder(slot: 1 | 2 | string): string {
  return `<ACCESS_KEY_ID_${slot}>`;
}

/** Describes when a slot was last used: "2 days ago (s3, eu-west-1)", "never", or "unknown". */
export function describeLastUse(slot: SlotFacts): string {
  if (slot.lastUsed === null) return slot.lastUsedKnown ? 'never' : 'unknown';
  const where = [slot.lastUsedService, slot.lastUsedRegion].filter((x) => x !== null && x !== 'N/A').join(', ');
  const ago = slot.lastUsedDaysAgo === null ? slot.lastUsed : `${formatDays(slot.lastUsedDaysAgo)} ago`;
  return where === '' ? ago : `${ago} (${where})`;
}

/** Template values for one credential of a principal. */
export function templateVars(facts: PrincipalFacts, credential: Credential, extra: Record<string, string> = {}): Record<string, string> {
  const vars: Record<string, string> = {
    account: facts.accountId,
    accountName: facts.accountName ?? facts.accountId,
    user: facts.principal.name,
    arn: facts.principal.arn,
    keyDates: keyDates(facts),
    nextRotation: nextRotation(facts),
    soleAdmin: facts.soleAdministrator ?? 'the only administrator',
  };
  const slot = slotOf(credential);
  if (slot !== null && (credential === 'access_key_1' || credential === 'access_key_2')) {
    const key = facts.keys[slot - 1]!;
    const other = (3 - slot) as 1 | 2;
    Object.assign(vars, {
      slot: String(slot),
      otherSlot: String(other),
      keyId: keyIdPlaceholder(slot),
      otherKeyId: keyIdPlaceholder(other),
      lastRotated: key.lastRotated ?? 'at an unknown date',
      lastUsed: describeLastUse(key),
    });
  } else if (slot !== null) {
    const cert = facts.certs[slot - 1]!;
    Object.assign(vars, { certSlot: String(slot), certId: `<CERTIFICATE_ID_${slot}>`, lastRotated: cert.lastRotated ?? 'at an unknown date' });
  } else if (credential === 'password' || facts.password.lastUsedKnown) {
    vars.lastUsed = facts.password.lastUsed ?? (facts.password.lastUsedKnown ? 'never' : 'unknown');
  }
  return { ...vars, ...extra };
}

function nextRotation(facts: PrincipalFacts): string {
  const days = facts.password.nextRotationInDays;
  const when = facts.password.nextRotation;
  if (days === null) return when ? `on ${when}` : 'at its next rotation date';
  const relative = days < 0 ? `${formatDays(-days)} ago` : `in ${formatDays(days)}`;
  return when ? `${relative} (${when})` : relative;
}

function keyDates(facts: PrincipalFacts): string {
  const known = facts.keys.filter((k) => k.present !== false && k.lastRotated !== null).map((k) => `access key ${k.slot}: ${k.lastRotated}`);
  return known.length > 0 ? known.join('; ') : 'compare the CreateDate values';
}
