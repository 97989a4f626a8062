import { Command } from 'commander';
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../model/index.js';
import { parseSnapshot } from '../../core/snapshot.js';
import type { CliIO } from '../io.js';
import { checkEvaluationOptions, evaluationOptions, type EvaluationOptions } from '../options.js';
import { evaluate, gate, rulesetFor, writeReports } from '../pipeline.js';

/** `credwarden evaluate SNAPSHOT`: re-run the rules on saved evidence. */
export function evaluateCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  const command = new Command('evaluate')
    .description('evaluate the rules on a saved snapshot (from scan --save-snapshot): same evidence, same findings')
    .argument('<snapshot>', 'snapshot JSON file');
  for (const option of evaluationOptions()) command.addOption(option);
  return command.action(async (file: string, options: EvaluationOptions) => {
    options.format ??= [];
    checkEvaluationOptions(options);
    const path = resolve(io.cwd, file);
    if (!existsSync(path)) throw new InputError([{ severity: 'error', file, message: 'snapshot file not found' }]);
    const loaded = rulesetFor(options, io);
    const snapshot = parseSnapshot(readFileSync(path, 'utf8'), file);
    const result = evaluate(snapshot, loaded, options);
    writeReports(result, loaded, options, io);
    setExitCode(gate(result, options.failOn ?? loaded.config?.value.failOn));
  });
}
