/**
 * Plan values for the account password policy. UpdateAccountPasswordPolicy replaces the whole
 * policy (an omitted setting falls back to its default), so the plan shows the current values
 * and a command that repeats every one of them, raised where the built-in rules ask for more.
 */

/** The built-in rules' defaults: CIS 1.8/1.9 and Security Hub IAM.7, IAM.15, IAM.16. */
const BASELINE = { MinimumPasswordLength: 14, PasswordReusePrevention: 24 } as const;

/** The settings UpdateAccountPasswordPolicy takes, in the API's order. */
const SETTINGS = [
  'MinimumPasswordLength',
  'RequireSymbols',
  'RequireNumbers',
  'RequireUppercaseCharacters',
  'RequireLowercaseCharacters',
  'AllowUsersToChangePassword',
  'MaxPasswordAge',
  'PasswordReusePrevention',
  'HardExpiry',
] as const;

type Policy = Partial<Record<(typeof SETTINGS)[number], unknown>>;

function isPolicy(value: unknown): value is Policy {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const whole = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;

/** The current policy in words, e.g. `MinimumPasswordLength=8, RequireSymbols=false, …`. */
export function describePasswordPolicy(value: unknown): string {
  if (value === 'none') return 'none: the account has no password policy, so the IAM defaults apply';
  if (!isPolicy(value)) return 'unknown: read it with get-account-password-policy first';
  const set = SETTINGS.filter((name) => value[name] !== undefined && value[name] !== null).map((name) => `${name}=${String(value[name])}`);
  return set.length > 0 ? set.join(', ') : 'empty';
}

/**
 * The full policy to send: every current setting kept, the length and reuse raised to the
 * baseline and every character class required. Unset MaxPasswordAge and PasswordReusePrevention
 * stay out (the API refuses 0; leaving them out keeps "never expires").
 */
export function targetPasswordPolicy(value: unknown): Record<string, number | boolean> {
  const current: Policy = isPolicy(value) ? value : {};
  const target: Record<string, number | boolean> = {
    MinimumPasswordLength: Math.max(whole(current.MinimumPasswordLength) ?? 0, BASELINE.MinimumPasswordLength),
    RequireSymbols: true,
    RequireNumbers: true,
    RequireUppercaseCharacters: true,
    RequireLowercaseCharacters: true,
    // A new policy lets users change their own password (AWS's console default); an existing choice is kept.
    AllowUsersToChangePassword: typeof current.AllowUsersToChangePassword === 'boolean' ? current.AllowUsersToChangePassword : true,
  };
  const maxAge = whole(current.MaxPasswordAge);
  if (maxAge !== undefined) target.MaxPasswordAge = maxAge;
  target.PasswordReusePrevention = Math.max(whole(current.PasswordReusePrevention) ?? 0, BASELINE.PasswordReusePrevention);
  if (typeof current.HardExpiry === 'boolean') target.HardExpiry = current.HardExpiry;
  return target;
}

/** Template values `currentPasswordPolicy` and `passwordPolicyJson` (for `--cli-input-json`). */
export function passwordPolicyVars(value: unknown): Record<string, string> {
  if (value === null || value === undefined) return {};
  return { currentPasswordPolicy: describePasswordPolicy(value), passwordPolicyJson: JSON.stringify(targetPasswordPolicy(value)) };
}
