/** Worker thread of the offline scenario: processes the reports it is sent, one at a time. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadRuleset } from '../src/collectors/files/rules.js';
import { baselinePlan } from './baseline.js';
import { processReport } from './offline.js';

const { pack, verify } = workerData as { pack: string; verify: boolean };
const { ruleset } = loadRuleset({ pack });
const plan = baselinePlan(ruleset);

parentPort?.postMessage({ ready: true });
parentPort?.on('message', (task: { index: number; file: string; compare: boolean }) => {
  const work = processReport(task.file, task.index, ruleset, task.compare ? plan : undefined, verify);
  parentPort?.postMessage({ index: task.index, work });
});
