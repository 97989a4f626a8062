/**
 * Turns the GitHub Action's inputs into credwarden arguments. Pure: the inputs
 * are passed in (the entry point reads them from INPUT_* variables).
 *
 * The `command` input picks what the step runs (scan, merge, trend or publish), so a
 * workflow never installs credwarden by name from a registry for its later steps.
 */

/** The action's inputs, by the names used in action.yml. Empty string = not set. */
export type ActionInputs = Readonly<Record<string, string | undefined>>;

/** The commands the action runs, by the `command` input. */
export const ACTION_COMMANDS = ['scan', 'merge', 'trend', 'publish'] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

/** Formats the action always writes: JSON for its outputs, SARIF for code scanning, annotations and summary. */
const ALWAYS = ['json', 'sarif', 'github'];

/** The formats `trend` writes; markdown always, for the job summary. */
const TREND_FORMATS = ['markdown', 'html', 'json', 'text'] as const;

/** Default report folder of the action. */
export const DEFAULT_ACTION_OUTPUT_DIR = 'credwarden-reports';

/** A comma- or whitespace-separated input as a list. */
export function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\s,]+/)
    .map((v) => v.trim())
    .filter(Boolean);
}

function truthy(value: string | undefined): boolean {
  return /^(true|yes|1|on)$/i.test((value ?? '').trim());
}

/** Value inputs mapped one-to-one to CLI flags, by command. */
const VALUE_FLAGS: Readonly<Record<ActionCommand, readonly (readonly [input: string, flag: string])[]>> = {
  scan: [
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
  ],
  merge: [['fail-on', '--fail-on']],
  trend: [],
  publish: [
    ['baseline', '--baseline'],
    ['role-name', '--role-name'],
    ['external-id', '--external-id'],
    ['region', '--region'],
    ['concurrency', '--concurrency'],
  ],
};

/** The command the inputs ask for (`scan` when unset); undefined for an unknown one. */
export function actionCommand(inputs: ActionInputs): ActionCommand | undefined {
  const command = (inputs.command ?? '').trim() || 'scan';
  return (ACTION_COMMANDS as readonly string[]).includes(command) ? (command as ActionCommand) : undefined;
}

/** The report formats that `scan` and `merge` write: the requested ones plus those the action needs. */
export function actionFormats(inputs: ActionInputs): string[] {
  return [...new Set([...ALWAYS, ...list(inputs.formats ?? 'markdown,csv,html')])];
}

/** The trend formats written to the output folder: markdown (the job summary) and those requested that trend knows. */
export function trendFormats(inputs: ActionInputs): string[] {
  const requested = list(inputs.formats ?? 'markdown,csv,html');
  return TREND_FORMATS.filter((format) => format === 'markdown' || requested.includes(format));
}

/** The file extension of a trend format. */
export function trendExtension(format: string): string {
  return format === 'markdown' ? 'md' : format === 'text' ? 'txt' : format;
}

/** The report folder. */
export function actionOutputDir(inputs: ActionInputs): string {
  return inputs['output-dir']?.trim() || DEFAULT_ACTION_OUTPUT_DIR;
}

function valueFlags(command: ActionCommand, inputs: ActionInputs): string[] {
  const args: string[] = [];
  for (const [input, flag] of VALUE_FLAGS[command]) {
    const value = inputs[input]?.trim();
    if (value) args.push(flag, value);
  }
  return args;
}

/** The `credwarden scan` arguments for the inputs. */
export function scanArguments(inputs: ActionInputs): string[] {
  const args = ['scan'];
  for (const [input, flag] of [
    ['from', '--from'],
    ['rules', '--rules'],
    ['accounts', '--accounts'],
    ['ou', '--ou'],
  ] as const) {
    const values = list(inputs[input]);
    // `from: ','` or `from: ' '` (a list variable that expanded to nothing) is not "no --from":
    // hand the CLI an empty --from, which it refuses (exit 2), instead of quietly scanning AWS live.
    if (values.length === 0 && inputs[input] && input === 'from') args.push(flag, '');
    for (const value of values) args.push(flag, value);
  }
  args.push(...valueFlags('scan', inputs));
  if (truthy(inputs.org)) args.push('--org');
  if (truthy(inputs['fail-on-new'])) args.push('--fail-on-new');
  if (truthy(inputs['allow-partial'])) args.push('--allow-partial');
  if (truthy(inputs.demo)) args.push('--demo');
  for (const format of actionFormats(inputs)) args.push('--format', format);
  args.push('--output-dir', actionOutputDir(inputs), '--no-color');
  return args;
}

/** The `credwarden merge` arguments: the shard results (already expanded), the gate and the report set. */
export function mergeArguments(inputs: ActionInputs, results: readonly string[]): string[] {
  const args = ['merge', ...results, ...valueFlags('merge', inputs)];
  for (const format of actionFormats(inputs)) args.push('--format', format);
  args.push('--output-dir', actionOutputDir(inputs), '--no-color');
  return args;
}

/** One `credwarden trend` run per format, each to its own file in the output folder. */
export function trendArguments(inputs: ActionInputs, results: readonly string[], outputPath: (format: string) => string): string[][] {
  return trendFormats(inputs).map((format) => ['trend', ...results, '--format', format, '--output', outputPath(format)]);
}

/** The `credwarden publish securityhub` arguments for one result. */
export function publishArguments(inputs: ActionInputs, result: string): string[] {
  const args = ['publish', 'securityhub', result, ...valueFlags('publish', inputs)];
  for (const account of list(inputs.accounts)) args.push('--accounts', account);
  if (truthy(inputs['dry-run'])) args.push('--dry-run');
  return args;
}
