import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { ConfigFile, Diagnostic, PackFile } from '../../model/index.js';
import { FRAMEWORKS, InputError } from '../../model/index.js';
import { parseRuleDefinition, type RuleDefinition } from '../../core/rules/definition.js';
import { buildRuleset, type Ruleset } from '../../core/rules/ruleset.js';
import { parseConfig, parsePack, type Sourced } from '../../core/rules/settings.js';
import { parseFramework, type FrameworkFile } from '../../core/rules/frameworks.js';
import { didYouMean } from '../../core/util/suggest.js';
import { decideSettings } from '../../core/settings.js';
import { packageRoot } from './package-root.js';
import { readInputFile } from './input.js';

/** Where the built-in rules live. */
export function builtInRulesDir(): string {
  return join(packageRoot(), 'rules');
}

/**
 * The framework catalogues (frameworks/*.yaml), in file order: every control of each
 * framework's identity section and the rules that evaluate it. See docs/rules.md.
 * @throws InputError listing the problems of every invalid file
 */
export function loadFrameworks(): Sourced<FrameworkFile>[] {
  const dir = join(packageRoot(), 'frameworks');
  const diagnostics: Diagnostic[] = [];
  const catalogues: Sourced<FrameworkFile>[] = [];
  for (const name of readdirSync(dir).filter(isRuleFile).sort()) {
    const path = join(dir, name);
    try {
      catalogues.push(parseFramework(readInputFile(path, 'framework file', relative(packageRoot(), path)), relative(packageRoot(), path)));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      diagnostics.push(...error.diagnostics);
    }
  }
  if (diagnostics.length > 0) throw new InputError(diagnostics, 'invalid framework catalogues');
  // Reports list frameworks in the model's order (CIS 3.0, CIS 5.0, Security Hub, AWS Config).
  const rank = (f: Sourced<FrameworkFile>) => (FRAMEWORKS as readonly string[]).indexOf(f.value.id);
  return catalogues.sort((a, b) => rank(a) - rank(b));
}

/** Names of the built-in packs. */
export function builtInPacks(): string[] {
  return readdirSync(join(packageRoot(), 'packs'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => basename(f, '.yaml'))
    .sort();
}

function isRuleFile(name: string): boolean {
  return name.endsWith('.yaml') || name.endsWith('.yml');
}

/**
 * Reads and validates every rule file in `dir`. Built-in rule files are named
 * relative to the package (rules/x.yaml), so reports can point at them.
 * @throws InputError listing the problems of every invalid file at once
 */
export function loadRuleDefinitions(dir: string, builtIn: boolean): RuleDefinition[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError([{ severity: 'error', file: dir, message: 'rules folder not found' }]);
  }
  const diagnostics: Diagnostic[] = [];
  const definitions: RuleDefinition[] = [];
  for (const name of readdirSync(dir).filter(isRuleFile).sort()) {
    const path = join(dir, name);
    const label = builtIn ? relative(packageRoot(), path) : path;
    const parsed = parseRuleDefinition(readInputFile(path, 'rule file', label), label, builtIn);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.definition) definitions.push(parsed.definition);
  }
  if (diagnostics.length > 0) throw new InputError(diagnostics, `invalid rules in ${dir}`);
  return definitions;
}

/** Reads a built-in pack by name, or a pack file by path. @throws InputError */
export function loadPack(nameOrPath: string): Sourced<PackFile> {
  const builtIn = join(packageRoot(), 'packs', `${nameOrPath}.yaml`);
  if (existsSync(builtIn))
    return parsePack(readInputFile(builtIn, 'pack file', relative(packageRoot(), builtIn)), relative(packageRoot(), builtIn));
  if (isRuleFile(nameOrPath) && existsSync(nameOrPath)) return parsePack(readInputFile(nameOrPath, 'pack file'), nameOrPath);
  throw new InputError([
    {
      severity: 'error',
      file: nameOrPath,
      message: `unknown pack '${nameOrPath}'`,
      suggestion: didYouMean(nameOrPath, builtInPacks()) ?? `built-in packs: ${builtInPacks().join(', ')}`,
    },
  ]);
}

/** Reads credwarden.config.yaml. @throws InputError */
export function loadConfig(path: string): Sourced<ConfigFile> {
  return parseConfig(readInputFile(path, 'config file'), path);
}

/** What decides the effective rules of a scan. */
export interface RulesetOptions {
  /** Pack name or file; default: the config's pack, else DEFAULT_PACK (see core/settings.ts). */
  pack?: string;
  /** Extra rule folders (--rules). */
  rulesDirs?: string[];
  /** Path of credwarden.config.yaml, if any. */
  configPath?: string;
}

/** A ruleset with the definitions and config it was built from. */
export interface LoadedRuleset {
  ruleset: Ruleset;
  definitions: RuleDefinition[];
  config?: Sourced<ConfigFile>;
}

/**
 * Loads built-in and user rules, the pack and the config, and builds the ruleset.
 * @throws InputError with every problem found
 */
export function loadRuleset(options: RulesetOptions): LoadedRuleset {
  const config = options.configPath ? loadConfig(options.configPath) : undefined;
  const configDir = options.configPath ? resolve(options.configPath, '..') : '.';
  const settings = decideSettings(
    { ...(options.pack !== undefined ? { pack: options.pack } : {}), rules: options.rulesDirs ?? [] },
    config?.value,
  );
  // --rules folders arrive resolved against the working folder; the config's are relative to it.
  const userDirs = settings.rulesDirs.map((d) => (d.base === 'config' ? resolve(configDir, d.path) : d.path));
  const definitions = [builtInRulesDir(), ...userDirs].flatMap((dir, i) => loadRuleDefinitions(dir, i === 0));
  checkRuleIds(definitions);
  const pack = loadPack(settings.pack.value);
  const frameworks = loadFrameworks().map((f) => f.value);
  const ruleset = buildRuleset({ definitions, pack, frameworks, ...(config ? { config } : {}) });
  return { ruleset, definitions, ...(config ? { config } : {}) };
}

/**
 * The id checks of `scan --rules DIR` for one folder on its own (`rules validate DIR`): its rules against each other and against the built-in rules, unless
 * the folder is the built-in rules folder itself.
 * @throws InputError naming every clash
 */
export function checkRuleFolderIds(dir: string, definitions: readonly RuleDefinition[]): void {
  const builtIn = builtInRulesDir();
  const same = existsSync(dir) && realpathSync(dir) === realpathSync(builtIn);
  checkRuleIds(same ? definitions : [...loadRuleDefinitions(builtIn, true), ...definitions]);
}

/**
 * Every rule id once: two user files with one id (`x.yaml` and `x.yml`, or two folders), or a
 * user rule with a built-in rule's id. `scan` and `rules validate` both check it, so a folder
 * that validates is a folder that scans.
 * @throws InputError naming every clash with both files
 */
export function checkRuleIds(definitions: readonly RuleDefinition[]): void {
  const seen = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const { rule, file } of definitions) {
    const first = seen.get(rule.id);
    if (first)
      diagnostics.push({
        severity: 'error',
        file,
        line: 1,
        pointer: '/id',
        message: `rule id '${rule.id}' is already defined in ${first}`,
        suggestion: 'user rules need ids of their own',
      });
    else seen.set(rule.id, file);
  }
  if (diagnostics.length > 0) throw new InputError(diagnostics, 'duplicate rule ids');
}
