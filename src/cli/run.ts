import { Command, CommanderError } from 'commander';
import { EXIT } from '../model/index.js';
import { toolVersion } from '../collectors/files/package-root.js';
import { evaluateCommand } from './commands/evaluate.js';
import { explainCommand } from './commands/explain.js';
import { planCommand } from './commands/plan.js';
import { rulesCommand } from './commands/rules.js';
import { scanCommand } from './commands/scan.js';
import { diffCommand } from './commands/diff.js';
import { mergeCommand } from './commands/merge.js';
import { publishCommand } from './commands/publish.js';
import { trendCommand } from './commands/trend.js';
import { reportError } from './errors.js';
import { processIO, type CliIO } from './io.js';
import { terminalText } from '../core/format/escape.js';
import { CLEAR_LINE } from '../collectors/aws/progress.js';

const EXIT_CODES_HELP = `
Exit codes:
  ${EXIT.ok}  no open finding at or above --fail-on (or no gate)
  ${EXIT.findings}  open findings at or above --fail-on (or new findings with --fail-on-new)
  ${EXIT.usage}  usage, configuration or input error (bad flag, rule, config, waiver, CSV or snapshot)
  ${EXIT.partial}  incomplete scan: some accounts could not be scanned (unless --allow-partial)
`;

const EXAMPLES_HELP = `
Examples:
  credwarden scan --demo
  credwarden scan --org --fail-on high --format json,sarif,markdown --output-dir reports/
  credwarden scan --from examples/org/ --pack cis-aws-3.0 --format json --output result.json
  credwarden plan result.json
  credwarden trend history/
  credwarden publish securityhub result.json --baseline previous.json
  credwarden rules list --pack cis-aws-3.0
  credwarden rules test my-rules --strict
`;

/** Builds the command tree. `setExitCode` lets commands report their gate result. */
export function buildProgram(io: CliIO, setExitCode: (code: number) => void): Command {
  const program = new Command('credwarden')
    .description('Policy-as-code scanner for AWS IAM credential hygiene')
    .version(toolVersion(), '-V, --version')
    .showSuggestionAfterError(true)
    .addHelpText('after', `${EXIT_CODES_HELP}${EXAMPLES_HELP}`);
  // The commands that gate document the exit codes in their own --help too.
  program.addCommand(scanCommand(io, setExitCode).addHelpText('after', EXIT_CODES_HELP));
  program.addCommand(evaluateCommand(io, setExitCode).addHelpText('after', EXIT_CODES_HELP));
  program.addCommand(rulesCommand(io, setExitCode));
  program.addCommand(diffCommand(io, setExitCode));
  program.addCommand(mergeCommand(io, setExitCode).addHelpText('after', EXIT_CODES_HELP));
  program.addCommand(planCommand(io));
  program.addCommand(explainCommand(io));
  program.addCommand(trendCommand(io, setExitCode));
  program.addCommand(publishCommand(io, setExitCode));
  return program;
}

/**
 * Every stderr line reaches a person or a CI runner, and may quote a report, an account name or
 * an AWS message: control characters are rendered visibly and no line can be a workflow command.
 * The progress bar's own line reset (written alone) is the one control sequence let through.
 */
function guardStderr(io: CliIO): CliIO {
  return { ...io, stderr: (text) => io.stderr(text === CLEAR_LINE ? text : terminalText(text)) };
}

/** Subcommands do not inherit these settings from their parent, so apply them to each. */
function configureAll(command: Command, io: CliIO): void {
  command.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  for (const sub of command.commands) configureAll(sub, io);
}

/**
 * Runs the CLI on `argv` (without the node and script names) and returns the exit
 * code. Never throws and never prints a stack trace (unless CREDWARDEN_DEBUG=1).
 */
export async function run(argv: string[], rawIO: CliIO = processIO()): Promise<number> {
  const io = guardStderr(rawIO);
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  configureAll(program, io);
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (or the help/version text).
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(error, (text) => io.stderr(text), io.env.CREDWARDEN_DEBUG === '1');
  }
}
