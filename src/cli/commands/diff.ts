import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { DIFF_FORMATS, diffResults, formatDiff, type DiffFormat } from '../../core/baseline/index.js';
import type { CliIO } from '../io.js';
import { writeFileAtomic } from '../io.js';
import { readResultFile } from '../../collectors/files/results.js';
import { EXIT } from '../../model/index.js';

interface DiffOptions {
  format: DiffFormat;
  output?: string;
  failOnNew?: boolean;
}

/** `credwarden diff OLD.json NEW.json`: what changed between two scans. */
export function diffCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  return new Command('diff')
    .description('show what changed between two JSON results (e.g. two scheduled scans): new, resolved and changed findings')
    .argument('<old>', 'the earlier result (--format json)')
    .argument('<new>', 'the later result (--format json)')
    .addOption(new Option('--format <name>', 'output format').choices([...DIFF_FORMATS]).default('text'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--fail-on-new', 'exit 1 when the new result has findings the old one did not')
    .action((oldFile: string, newFile: string, options: DiffOptions) => {
      const diff = diffResults(readResultFile(resolve(io.cwd, oldFile), oldFile), readResultFile(resolve(io.cwd, newFile), newFile));
      const text = formatDiff(diff, options.format);
      if (options.output) writeFileAtomic(resolve(io.cwd, options.output), text);
      else io.stdout(text);
      setExitCode(options.failOnNew && diff.added.some((f) => f.status === 'open') ? EXIT.findings : EXIT.ok);
    });
}
