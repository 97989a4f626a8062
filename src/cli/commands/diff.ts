import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { DIFF_FORMATS, formatDiff, ResultComparison, type DiffFormat, type ResultDiff } from '../../core/baseline/index.js';
import type { CliIO } from '../io.js';
import { writeFileAtomic } from '../io.js';
import { streamResultFile } from '../../collectors/files/results.js';
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
    .action(async (oldFile: string, newFile: string, options: DiffOptions) => {
      const diff = await diffFiles({ path: resolve(io.cwd, oldFile), label: oldFile }, { path: resolve(io.cwd, newFile), label: newFile });
      const text = formatDiff(diff, options.format);
      if (options.output) writeFileAtomic(resolve(io.cwd, options.output), text);
      else io.stdout(text);
      setExitCode(options.failOnNew && diff.added.some((f) => f.status === 'open') ? EXIT.findings : EXIT.ok);
    });
}

/**
 * Two results compared as streams: the old one is read twice (a compact index, then the findings
 * the diff lists), the new one once; neither is held whole.
 */
async function diffFiles(before: { path: string; label: string }, after: { path: string; label: string }): Promise<ResultDiff> {
  const comparison = new ResultComparison();
  const oldHeader = await streamResultFile(before.path, { finding: (f) => comparison.indexOld(f) }, before.label);
  const newHeader = await streamResultFile(after.path, { finding: (f) => comparison.addNew(f) }, after.label);
  comparison.newAccounts(newHeader.accounts);
  await streamResultFile(before.path, { finding: (f) => comparison.collectOld(f) }, before.label);
  return comparison.finish(oldHeader, newHeader);
}
