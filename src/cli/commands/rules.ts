import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { InputError } from '../../model/index.js';
import { FRAMEWORKS } from '../../model/index.js';
import { builtInRulesDir, checkRuleFolderIds, loadRuleDefinitions } from '../../collectors/files/rules.js';
import type { CompiledRule } from '../../core/rules/ruleset.js';
import type { CliIO } from '../io.js';
import { collect } from '../option-values.js';
import { didYouMean } from '../../core/util/suggest.js';
import { rulesTestCommand } from './rules-test.js';
import { terminalText } from '../../core/util/escape.js';

interface ListOptions {
  pack?: string;
  rules?: string[];
  config?: string;
  format?: string;
}

function controls(rule: CompiledRule): string {
  return FRAMEWORKS.flatMap((f) => rule.frameworks[f].map((id) => `${f} ${id}`)).join(', ');
}

function ruleJson(rule: CompiledRule) {
  const { predicate: _p, message: _m, evidence: _e, appliesTo, ...rest } = rule;
  return { ...rest, appliesTo: [...appliesTo] };
}

/** `credwarden rules list|show|validate|test`. */
export function rulesCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  const command = new Command('rules').description('list, show, validate and test rules');
  // Ids, titles, descriptions and paths come from rule files: shown visibly, never obeyed by a terminal or runner.
  const say = (text: string) => io.stdout(terminalText(text));
  const shared = () => [
    new Option('--pack <name|file>', 'rule pack'),
    new Option('--rules <dir>', 'add your own rules from this folder (repeatable)').argParser(collect),
    new Option('--config <file>', 'credwarden.config.yaml'),
  ];
  const list = new Command('list').description('the rules the pack and config enable, with their parameters');
  for (const o of [...shared(), new Option('--format <format>', 'text or json').choices(['text', 'json']).default('text')])
    list.addOption(o);
  // The scan pipeline (pipeline.js) is loaded by the subcommands that use it, never by `rules test`.
  list.action(async (options: ListOptions) => {
    const { rulesetFor } = await import('../pipeline.js');
    const { ruleset } = rulesetFor({ ...options, format: [], color: false }, io);
    if (options.format === 'json') {
      io.stdout(`${JSON.stringify(ruleset.rules.map(ruleJson), null, 2)}\n`);
      return;
    }
    const width = Math.max(...ruleset.rules.map((r) => r.id.length));
    say(`pack ${ruleset.pack} · ${ruleset.rules.length} rules · rules hash ${ruleset.hash.slice(0, 12)}\n`);
    for (const rule of ruleset.rules) {
      const params = Object.entries(rule.params)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ');
      say(`${rule.severity.padEnd(8)}  ${rule.id.padEnd(width)}  ${rule.title}${params ? `  [${params}]` : ''}\n`);
    }
  });
  const show = new Command('show').description('one rule in full').argument('<id>', 'rule id');
  for (const o of shared()) show.addOption(o);
  show.action(async (id: string, options: ListOptions) => {
    const { rulesetFor } = await import('../pipeline.js');
    const loaded = rulesetFor({ ...options, format: [], color: false }, io);
    const definition = loaded.definitions.find((d) => d.rule.id === id);
    if (!definition) {
      throw new InputError([
        {
          severity: 'error',
          file: '<rules>',
          message: `unknown rule '${id}'`,
          suggestion: didYouMean(
            id,
            loaded.definitions.map((d) => d.rule.id),
          ),
        },
      ]);
    }
    const effective = loaded.ruleset.rules.find((r) => r.id === id);
    const rule = definition.rule;
    const lines = [
      `${rule.id}  (${effective ? effective.severity : `${rule.severity}, not enabled by pack ${loaded.ruleset.pack}`})`,
      rule.title,
      '',
      rule.description,
      '',
      `applies to:   ${rule.appliesTo.join(', ')}; one finding per ${rule.subject}`,
      `parameters:   ${
        Object.entries(effective?.params ?? {})
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ') || 'none'
      }`,
      `frameworks:   ${effective ? controls(effective) : ''}`,
      `remediation:  ${rule.remediation.procedure}`,
      `docs:         ${rule.docs}`,
      `file:         ${definition.file}`,
    ];
    say(`${lines.join('\n')}\n`);
  });
  const validate = new Command('validate')
    .description(
      'validate rule files (default: the built-in rules), including that their remediation procedure exists; exit 2 with every problem when invalid',
    )
    .argument('[dir]', 'folder of rule files')
    .addOption(
      new Option(
        '--procedures <dir>',
        'your own procedures, besides the built-in ones and ./.credwarden/procedures (repeatable)',
      ).argParser(collect),
    );
  validate.action(async (dir: string | undefined, options: { procedures?: string[] }) => {
    const { checkRuleProcedures } = await import('../pipeline.js');
    const path = dir ? resolve(io.cwd, dir) : builtInRulesDir();
    const definitions = loadRuleDefinitions(path, dir === undefined);
    // The same id checks as scan --rules DIR: against each other and the built-in rules.
    checkRuleFolderIds(path, definitions);
    checkRuleProcedures(definitions, io, options.procedures ?? []);
    // Name the folder that was read: without an argument that is the installed built-in rules, not ./rules.
    say(`${definitions.length} rule file(s) valid in ${dir === undefined ? `the built-in rules (${path})` : path}\n`);
  });
  return command.addCommand(list).addCommand(show).addCommand(validate).addCommand(rulesTestCommand(io, setExitCode));
}
