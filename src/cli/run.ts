import { Command, CommanderError, type Help } from 'commander';
import { EXIT } from '../model/index.js';
import { toolVersion } from '../collectors/files/package-root.js';
import { processIO, type CliIO } from './process-io.js';
import { terminalText } from '../core/util/escape.js';
import { CLEAR_LINE } from '../collectors/aws/progress.js';
import { COMMANDS, commandOf, type CommandEntry } from './command-table.js';

const EXIT_CODES_HELP = `
Exit codes:
  ${EXIT.ok}  no open finding at or above --fail-on (or no gate)
  ${EXIT.findings}  open findings at or above --fail-on (or new findings with --fail-on-new)
  ${EXIT.usage}  usage, configuration or input error (bad flag, rule, config, waiver, CSV or snapshot)
  ${EXIT.partial}  incomplete scan: some accounts could not be scanned (unless --allow-partial)
`;

/** `merge` has a gate, but neither --fail-on-new nor --allow-partial, and never scans. */
const MERGE_EXIT_CODES_HELP = `
Exit codes:
  ${EXIT.ok}  no merged open finding at or above --fail-on (or no gate)
  ${EXIT.findings}  merged open findings at or above --fail-on
  ${EXIT.usage}  usage or input error (bad flag, unreadable result, results of different scans or a missing shard)
`;

/** Exit codes shown after a command's own --help, for the commands that gate. */
const COMMAND_EXIT_CODES_HELP: Readonly<Record<string, string>> = {
  scan: EXIT_CODES_HELP,
  evaluate: EXIT_CODES_HELP,
  merge: MERGE_EXIT_CODES_HELP,
};

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

/** The top-level program, without commands. */
function topLevel(): Command {
  return new Command('credwarden')
    .description('Policy-as-code scanner for AWS IAM credential hygiene')
    .version(toolVersion(), '-V, --version')
    .showSuggestionAfterError(true)
    .addHelpText('after', `${EXIT_CODES_HELP}${EXAMPLES_HELP}`);
}

/** A command's full definition, with its exit codes after its --help. */
async function loadCommand(entry: CommandEntry, io: CliIO, setExitCode: (code: number) => void): Promise<Command> {
  const command = (await entry.load())(io, setExitCode);
  const exitCodes = COMMAND_EXIT_CODES_HELP[entry.name];
  return exitCodes ? command.addHelpText('after', exitCodes) : command;
}

/**
 * Builds the whole command tree, every command loaded (tests and tools that walk the tree).
 * `run` loads only the command that runs.
 */
export async function buildProgram(io: CliIO, setExitCode: (code: number) => void): Promise<Command> {
  const program = topLevel();
  for (const entry of COMMANDS) program.addCommand(await loadCommand(entry, io, setExitCode));
  return program;
}

/**
 * The program for `argv`: the command it names, loaded, beside placeholders of the others (their
 * name, usage and description, for `--help` and "did you mean"). Nothing else is imported.
 */
async function programFor(argv: readonly string[], io: CliIO, setExitCode: (code: number) => void): Promise<Command> {
  const program = topLevel();
  const wanted = commandOf(argv);
  const placeholders = new Map<Command, string>();
  for (const entry of COMMANDS) {
    if (entry === wanted) program.addCommand(await loadCommand(entry, io, setExitCode));
    else {
      const placeholder = new Command(entry.name).description(entry.description).helpOption(false).allowUnknownOption();
      placeholders.set(placeholder, [entry.name, entry.usage].filter(Boolean).join(' '));
      program.addCommand(placeholder);
    }
  }
  program.configureHelp({
    subcommandTerm: (command: Command) => placeholders.get(command) ?? defaultTerm(command),
  });
  return program;
}

/** Commander's own term for a loaded command (`name [options] <args>`). */
function defaultTerm(command: Command): string {
  const help: Help = new Command().createHelp();
  return help.subcommandTerm(command);
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
  try {
    const program = await programFor(argv, io, (code) => {
      exitCode = code;
    });
    configureAll(program, io);
    // Before any command reads anything: an output may not be one of its inputs.
    program.hook('preAction', async (_program, command) => (await import('./output-guard.js')).refuseOutputsOverInputs(command, io.cwd));
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
    // Loaded here: --version and --help never need it.
    const { reportError } = await import('./errors.js');
    return reportError(error, (text) => io.stderr(text), io.env.CREDWARDEN_DEBUG === '1');
  }
}
