import { Command, Option } from 'commander';
import { isAbsolute, relative, resolve } from 'node:path';
import { EXIT } from '../../model/index.js';
import { builtInRulesDir } from '../../collectors/files/rules.js';
import { CASES_FOLDER, loadRulesUnderTest } from '../../collectors/files/rule-cases.js';
import { formatRulesTestJunit, formatRulesTestText, rulesTestFailed, testRules } from '../../core/rules/testing/index.js';
import { writeFileAtomic, type CliIO } from '../io.js';
import { terminalText } from '../../core/util/escape.js';

interface TestOptions {
  strict?: boolean;
  format: 'text' | 'junit';
  output?: string;
}

const HELP = `
Each rule's cases live in ${CASES_FOLDER}/<rule-id>.cases.yaml inside its rules folder (see docs/rules.md).
The text report goes to stdout; with --output, the chosen format goes to the file as well.

Exit codes:
  ${EXIT.ok}  every case passed
  ${EXIT.findings}  a case failed (or, with --strict, a rule has no table or no valid/invalid case)
  ${EXIT.usage}  bad input: an invalid rule or case table, a table of no rule, a bad flag
`;

/** `credwarden rules test [DIR…]`: runs the valid/invalid case tables next to the rules. */
export function rulesTestCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  return new Command('test')
    .description('run the valid/invalid case tables of rules (default: the built-in rules)')
    .argument('[dir...]', 'rules folders whose rules and tests/ tables to run')
    .option('--strict', 'a rule without a case table, or without a valid or an invalid case, fails the run')
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'junit']).default('text'))
    .addOption(new Option('-o, --output <file>', 'also write the report (in --format) to this file'))
    .addHelpText('after', HELP)
    .action((dirs: string[], options: TestOptions) => {
      const label = (path: string) => {
        const fromCwd = relative(io.cwd, path);
        return fromCwd.startsWith('..') || isAbsolute(fromCwd) ? path : fromCwd;
      };
      const folders =
        dirs.length > 0 ? dirs.map((d) => ({ path: resolve(io.cwd, d), builtIn: false })) : [{ path: builtInRulesDir(), builtIn: true }];
      const loaded = folders.map((f) => loadRulesUnderTest(f.path, f.builtIn, label));
      const report = testRules(
        loaded.flatMap((l) => l.rules),
        { strict: options.strict === true },
        loaded.flatMap((l) => l.diagnostics),
      );
      const formatted = options.format === 'junit' ? formatRulesTestJunit(report) : terminalText(formatRulesTestText(report));
      if (options.output) writeFileAtomic(resolve(io.cwd, options.output), formatted);
      // The text report quotes rule ids, titles and case names from the rule files: shown visibly, never obeyed.
      io.stdout(options.output || options.format === 'text' ? terminalText(formatRulesTestText(report)) : formatted);
      setExitCode(rulesTestFailed(report) ? EXIT.findings : EXIT.ok);
    });
}
