import type { ConfigFile, Severity } from '../model/index.js';

/**
 * One place decides each setting of a run that evaluates rules. Precedence, highest first: the
 * command-line flag, then credwarden.config.yaml, then the pack (which rules run, with which
 * severities and parameters: applied by buildRuleset), then the default. Folders of extra rules
 * add up instead. AWS settings are decided beside the clients (collectors/aws/sdk-config.ts);
 * formats by resolveFormats (cli/reporting.ts). See docs/architecture.md, "Settings".
 */

/** The pack of a run when neither --pack nor the config names one. */
export const DEFAULT_PACK = 'recommended';

/** A decided value and where it came from (the gate names it: `failOn: high (config file)`). */
export interface Decided<T> {
  value: T;
  from: 'flag' | 'config' | 'default';
}

/** A path as written, and what it is relative to: the working folder (flags) or the config file's folder. */
export interface RelativePath {
  path: string;
  base: 'cwd' | 'config';
}

/** What the command line gave. */
export interface SettingFlags {
  pack?: string;
  rules?: readonly string[];
  failOn?: Severity | 'none';
  waivers?: string;
}

/** The settings of a run. */
export interface Settings {
  pack: Decided<string>;
  /** --rules, then the config's rulesDirs: both apply. */
  rulesDirs: RelativePath[];
  /** The gate's threshold; undefined: no gate. */
  failOn?: Decided<Severity | 'none'>;
  /** The waivers file; undefined: none. */
  waivers?: RelativePath;
}

/** Decides every setting from the flags and the config file (when there is one). */
export function decideSettings(
  flags: SettingFlags,
  config: Pick<ConfigFile, 'pack' | 'rulesDirs' | 'failOn' | 'waivers'> | undefined,
): Settings {
  const failOn = first(flags.failOn, config?.failOn);
  const waivers =
    flags.waivers !== undefined
      ? { path: flags.waivers, base: 'cwd' as const }
      : config?.waivers !== undefined
        ? { path: config.waivers, base: 'config' as const }
        : undefined;
  return {
    pack: first(flags.pack, config?.pack) ?? { value: DEFAULT_PACK, from: 'default' },
    rulesDirs: [
      ...(flags.rules ?? []).map((path) => ({ path, base: 'cwd' as const })),
      ...(config?.rulesDirs ?? []).map((path) => ({ path, base: 'config' as const })),
    ],
    ...(failOn ? { failOn } : {}),
    ...(waivers ? { waivers } : {}),
  };
}

function first<T>(flag: T | undefined, config: T | undefined): Decided<T> | undefined {
  if (flag !== undefined) return { value: flag, from: 'flag' };
  if (config !== undefined) return { value: config, from: 'config' };
  return undefined;
}
