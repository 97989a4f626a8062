/**
 * Turns the GitHub Action's inputs into `credwarden scan` arguments. Pure: the
 * inputs are passed in (the entry point reads them from INPUT_* variables).
 */

/** The action's inputs, by the names used in action.yml. Empty string = not set. */
export type ActionInputs = Readonly<Record<string, string | undefined>>;

/** Formats the action always writes: JSON for its outputs, SARIF for code scanning, annotations and summary. */
const ALWAYS = ['json', 'sarif', 'github'];

/** Default report folder of the action. */
export const DEFAULT_ACTION_OUTPUT_DIR = 'credwarden-reports';

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\s,]+/)
    .map((v) => v.trim())
    .filter(Boolean);
}

function truthy(value: string | undefined): boolean {
  return /^(true|yes|1|on)$/i.test((value ?? '').trim());
}

/** Value inputs mapped one-to-one to CLI flags. */
const VALUE_FLAGS: readonly [input: string, flag: string][] = [
  ['config', '--config'],
  ['pack', '--pack'],
  ['as-of', '--as-of'],
  ['fail-on', '--fail-on'],
  ['baseline', '--baseline'],
  ['waivers', '--waivers'],
  ['shard', '--shard'],
  ['role-name', '--role-name'],
  ['external-id', '--external-id'],
  ['region', '--region'],
  ['concurrency', '--concurrency'],
];

/** List inputs (comma or whitespace separated) mapped to repeatable flags. */
const LIST_FLAGS: readonly [input: string, flag: string][] = [
  ['from', '--from'],
  ['rules', '--rules'],
  ['accounts', '--accounts'],
  ['ou', '--ou'],
];

/** The report formats the action writes: the requested ones plus those it needs. */
export function actionFormats(inputs: ActionInputs): string[] {
  return [...new Set([...ALWAYS, ...list(inputs.formats ?? 'markdown,csv,html')])];
}

/** The report folder. */
export function actionOutputDir(inputs: ActionInputs): string {
  return inputs['output-dir']?.trim() || DEFAULT_ACTION_OUTPUT_DIR;
}

/** The `credwarden scan` arguments for the inputs. */
export function scanArguments(inputs: ActionInputs): string[] {
  const args = ['scan'];
  for (const [input, flag] of LIST_FLAGS) {
    const values = list(inputs[input]);
    // `from: ','` or `from: ' '` (a list variable that expanded to nothing) is not "no --from":
    // hand the CLI an empty --from, which it refuses (exit 2), instead of quietly scanning AWS live.
    if (values.length === 0 && inputs[input] && input === 'from') args.push(flag, '');
    for (const value of values) args.push(flag, value);
  }
  for (const [input, flag] of VALUE_FLAGS) {
    const value = inputs[input]?.trim();
    if (value) args.push(flag, value);
  }
  if (truthy(inputs.org)) args.push('--org');
  if (truthy(inputs['fail-on-new'])) args.push('--fail-on-new');
  if (truthy(inputs['allow-partial'])) args.push('--allow-partial');
  if (truthy(inputs.demo)) args.push('--demo');
  for (const format of actionFormats(inputs)) args.push('--format', format);
  args.push('--output-dir', actionOutputDir(inputs), '--no-color');
  return args;
}
