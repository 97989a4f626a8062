import type { Credential } from '../../model/index.js';
import type { PrincipalFacts, SlotFacts } from './facts.js';
import { slotOf } from './facts.js';
import { didYouMean } from '../util/suggest.js';
import { passwordPolicyVars } from './password-policy.js';
import { ITEM_TEMPLATE_NAMES, itemVars } from './item-vars.js';
import { shellQuote } from './shell.js';

export { shellQuote } from './shell.js';

/**
 * A value the reader fills in by hand, e.g. <ACCESS_KEY_ID_1> when the key id is not known:
 * printed as it is, never quoted. Values from reports are plain strings, so a user whose name
 * merely looks like a placeholder is still quoted in a command.
 */
export interface Placeholder {
  placeholder: string;
}

/** Values a procedure template can use, by placeholder name. */
export type TemplateVars = Readonly<Record<string, string | Placeholder>>;

/** The placeholder `<NAME>` for the reader to fill in. */
export function placeholder(name: string): Placeholder {
  return { placeholder: `<${name}>` };
}

/** A variable's own value (never an inherited one such as `constructor`), or undefined. */
function valueOf(vars: TemplateVars, name: string): string | Placeholder | undefined {
  return Object.hasOwn(vars, name) ? vars[name] : undefined;
}

/** Placeholders that make a step specific to one credential (else it is about the whole principal). */
const CREDENTIAL_PLACEHOLDERS = [
  'slot',
  'otherSlot',
  'keyId',
  'otherKeyId',
  'certSlot',
  'certId',
  'lastRotated',
  'lastUsed',
  'lastUsedRegion',
  ...Object.keys(ITEM_TEMPLATE_NAMES),
];

/**
 * Every name a procedure template may use, with what the planner puts there. Procedure files
 * are checked against this list when they load: an unknown name is an error, never a silent gap.
 */
export const TEMPLATE_NAMES: Readonly<Record<string, string>> = {
  account: 'account id',
  accountName: 'account name (the id when the name is unknown)',
  partition: 'ARN partition of the account: aws, aws-cn or aws-us-gov',
  user: 'user name (<root_account> for the root user)',
  arn: 'ARN of the principal',
  slot: 'access key slot of the step (1 or 2)',
  otherSlot: 'the other access key slot',
  keyId: 'access key id of the slot, or <ACCESS_KEY_ID_n> when it is not known',
  otherKeyId: 'access key id of the other slot, or its placeholder',
  keyDates: "creation times of the user's keys, to match them to ids",
  keyIdPlaceholders: 'the key id placeholders the plan uses',
  lastRotated: 'creation or rotation time of the credential',
  lastUsed: 'last use of the credential, in words',
  lastUsedRegion: 'region the access key was last used in, or <REGION>',
  certSlot: 'signing certificate slot (1 or 2)',
  certId: '<CERTIFICATE_ID_n>',
  admin: 'who can reset the credential: a named administrator, "an administrator", or the root user',
  soleAdmin: "the account's only credential administrator",
  nextRotation: "the password's next rotation date",
  currentPasswordPolicy: 'the account password policy now, setting by setting (or none)',
  passwordPolicyJson: 'the whole password policy to set, as JSON for --cli-input-json: every current setting kept, raised to the baseline',
  ...ITEM_TEMPLATE_NAMES,
};

/** `{{ name }}` placeholders, the syntax rule messages use. */
const PLACEHOLDER_PATTERN = /\{\{\s*([A-Za-z][\w.]*)\s*\}\}/g;

/** A name in single braces, e.g. `{user}`: the old syntax, which would be printed as it stands. */
const SINGLE_BRACE_PATTERN = /(?<!\{)\{([A-Za-z]+)\}(?!\})/g;

/** Problems of one template: unknown `{{names}}`, and known names written in single braces. */
export function templateProblems(template: string): { message: string; suggestion?: string }[] {
  const problems: { message: string; suggestion?: string }[] = [];
  for (const [, name = ''] of template.matchAll(PLACEHOLDER_PATTERN)) {
    if (!Object.hasOwn(TEMPLATE_NAMES, name))
      problems.push({
        message: `unknown placeholder '{{${name}}}'`,
        suggestion: didYouMean(name, Object.keys(TEMPLATE_NAMES)) ?? `known placeholders: ${Object.keys(TEMPLATE_NAMES).join(', ')}`,
      });
  }
  for (const [, name = ''] of template.matchAll(SINGLE_BRACE_PATTERN)) {
    if (Object.hasOwn(TEMPLATE_NAMES, name))
      problems.push({ message: `'{${name}}' is not a placeholder`, suggestion: `write {{${name}}}` });
  }
  return problems;
}

/**
 * Replaces `{{name}}` by its value. A known name without a value here (e.g. `{{keyId}}` in a
 * plan about the password) becomes an upper-case `<KEY_ID>` for the reader to fill in.
 * `quote` is applied to values from the data, never to placeholders.
 */
export function fill(template: string, vars: TemplateVars, quote: (value: string) => string = (v) => v): string {
  return template.replace(PLACEHOLDER_PATTERN, (_, name: string) => {
    const value = valueOf(vars, name);
    if (typeof value === 'string') return quote(value);
    return value?.placeholder ?? `<${name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}>`;
  });
}

/** `--option {{name}}` or a lone `{{name}}` in a command template. */
const COMMAND_PLACEHOLDER = /(^|[ \t])(--[A-Za-z0-9][\w-]*)[ \t]+\{\{\s*([A-Za-z][\w.]*)\s*\}\}|\{\{\s*([A-Za-z][\w.]*)\s*\}\}/g;

/**
 * Fills a command template so that every value is exactly one argument, never an option or a
 * redirection: `--option {{name}}` becomes `--option=VALUE` and every value is shell-quoted. A
 * placeholder for the reader (`<ACCESS_KEY_ID_1>`) stays as it is, after a space.
 */
export function fillCommand(template: string, vars: TemplateVars): string {
  return template.replace(
    COMMAND_PLACEHOLDER,
    (_, lead: string | undefined, option: string | undefined, optionName: string, name: string) => {
      if (option === undefined) return fill(`{{${name}}}`, vars, shellQuote);
      const value = fill(`{{${optionName}}}`, vars, shellQuote);
      return typeof valueOf(vars, optionName) === 'string' ? `${lead}${option}=${value}` : `${lead}${option} ${value}`;
    },
  );
}

/** Whether a step's templates mention any credential-specific placeholder. */
export function mentionsCredential(templates: readonly string[]): boolean {
  return templates.some((t) => [...t.matchAll(PLACEHOLDER_PATTERN)].some(([, name = '']) => CREDENTIAL_PLACEHOLDERS.includes(name)));
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
export function templateVars(
  facts: PrincipalFacts,
  credential: Credential,
  extra: Record<string, string | Placeholder> = {},
): Record<string, string | Placeholder> {
  const vars: Record<string, string | Placeholder> = {
    account: facts.accountId,
    accountName: facts.accountName ?? facts.accountId,
    partition: facts.partition,
    user: facts.principal.name,
    arn: facts.principal.arn,
    keyDates: keyDates(facts),
    nextRotation: nextRotation(facts),
    soleAdmin: facts.soleAdministrator ?? 'the only administrator',
    ...passwordPolicyVars(facts.passwordPolicy),
    ...itemVars(credential, facts.itemEvidence[credential ?? ''] ?? {}),
  };
  const slot = slotOf(credential);
  if (slot !== null && (credential === 'access_key_1' || credential === 'access_key_2')) {
    const key = facts.keys[slot - 1]!;
    const other = (3 - slot) as 1 | 2;
    Object.assign(vars, {
      slot: String(slot),
      otherSlot: String(other),
      keyId: key.id ?? placeholder(`ACCESS_KEY_ID_${slot}`),
      otherKeyId: facts.keys[other - 1]!.id ?? placeholder(`ACCESS_KEY_ID_${other}`),
      lastRotated: key.lastRotated ?? 'at an unknown date',
      lastUsed: describeLastUse(key),
      ...(key.lastUsedRegion !== null && key.lastUsedRegion !== 'N/A' ? { lastUsedRegion: key.lastUsedRegion } : {}),
    });
  } else if (slot !== null) {
    const cert = facts.certs[slot - 1]!;
    Object.assign(vars, {
      certSlot: String(slot),
      certId: placeholder(`CERTIFICATE_ID_${slot}`),
      lastRotated: cert.lastRotated ?? 'at an unknown date',
    });
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
  const known = facts.keys
    .filter((k) => k.present !== false && k.lastRotated !== null)
    .map((k) => `access key ${k.slot}: ${k.lastRotated}`);
  return known.length > 0 ? known.join('; ') : 'compare the CreateDate values';
}
