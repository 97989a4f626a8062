/**
 * The CLI's commands, each registered by name with the one line that `credwarden --help` shows,
 * and loaded only when it runs: `--version` and `--help` import no command, and a command
 * imports only what it uses (the AWS SDK only for the live commands). test/cli/startup.test.ts
 * checks that these lines match what the commands themselves declare.
 */
import type { Command } from 'commander';
import type { CliIO } from './io.js';

/** Builds one command's full definition. */
export type CommandFactory = (io: CliIO, setExitCode: (code: number) => void) => Command;

/** One command of the CLI, before it is loaded. */
export interface CommandEntry {
  name: string;
  /** As in `credwarden --help`'s command list: `[options] <results...>`. */
  usage: string;
  /** The command's description (a test checks it is the loaded command's). */
  description: string;
  /** Imports the command's module. */
  load(): Promise<CommandFactory>;
}

/** Every command, in `--help` order. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'scan',
    usage: '[options]',
    description: 'scan saved credential reports (--from) or AWS, evaluate the rules, and report findings',
    load: async () => (await import('./commands/scan.js')).scanCommand,
  },
  {
    name: 'evaluate',
    usage: '[options] <snapshot>',
    description: 'evaluate the rules on a saved snapshot (from scan --save-snapshot): same evidence, same findings',
    load: async () => (await import('./commands/evaluate.js')).evaluateCommand,
  },
  {
    name: 'rules',
    usage: '',
    description: 'list, show, validate and test rules',
    load: async () => (await import('./commands/rules.js')).rulesCommand,
  },
  {
    name: 'diff',
    usage: '[options] <old> <new>',
    description: 'show what changed between two JSON results (e.g. two scheduled scans): new, resolved and changed findings',
    load: async () => (await import('./commands/diff.js')).diffCommand,
  },
  {
    name: 'merge',
    usage: '[options] <results...>',
    description: 'merge the JSON results of sharded scans (--shard K/N) into one result, with the findings of a single run',
    load: async () => (await import('./commands/merge.js')).mergeCommand,
  },
  {
    name: 'plan',
    usage: '[options] [result]',
    description: 'write remediation plans (Markdown or JSON) from a saved JSON result or a scan; credwarden never runs them',
    load: async () => (await import('./commands/plan.js')).planCommand,
  },
  {
    name: 'explain',
    usage: '[options] <arn>',
    description: "show who can reset an IAM user's password and access keys, with the policy statements that grant or deny each path",
    load: async () => (await import('./commands/explain.js')).explainCommand,
  },
  {
    name: 'trend',
    usage: '[options] <results...>',
    description:
      'the trend over a series of JSON results (files, or folders of them): open findings by severity, new and resolved per scan, time to remediate, oldest open findings, accounts no longer scanned',
    load: async () => (await import('./commands/trend.js')).trendCommand,
  },
  {
    name: 'publish',
    usage: '',
    description: 'send a result to an AWS service (writes; `scan` never does): securityhub',
    load: async () => (await import('./commands/publish.js')).publishCommand,
  },
];

/** The command that `argv` runs (`help NAME` included), if it names one. */
export function commandOf(argv: readonly string[]): CommandEntry | undefined {
  const name = argv[0] === 'help' ? argv[1] : argv[0];
  return COMMANDS.find((entry) => entry.name === name);
}
