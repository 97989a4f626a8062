/**
 * The scan worker thread itself (src/cli/workers/worker.ts, built: `npm run build` first, as for
 * test/cli/jobs.test.ts): once it has posted its state it ends by itself, so that its heap is freed
 * while the main thread reads that state in.
 */
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { loadRuleset } from '../../../src/collectors/files/rules.js';
import type { FromWorker, ToWorker, WorkerInit } from '../../../src/cli/workers/protocol.js';
import type { RunHeader } from '../../../src/core/pipeline/index.js';
import { tempDir } from '../../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const WORKER = resolve(ROOT, 'dist/src/cli/workers/worker.js');

describe('a scan worker thread', () => {
  it('ends by itself (exit code 0) once it has posted its state, after the state', async () => {
    const rules = { pack: 'recommended', rulesDirs: [] };
    const { ruleset } = loadRuleset(rules);
    const init: WorkerInit = {
      cwd: ROOT,
      rules,
      header: { rulesHash: ruleset.hash } as RunHeader,
      toolVersion: '0.0.0',
      withBaseline: false,
      access: {},
      recipes: [],
      wantsSlices: false,
      spoolDir: tempDir(),
      worker: 0,
    };
    const worker = new Worker(WORKER, { stdout: true, stderr: true });
    const heard: string[] = [];
    worker.on('message', (message: FromWorker) => heard.push(message.type));
    const exited = new Promise<string>((done) => worker.on('exit', (code) => done(`exit ${code}`)));
    try {
      worker.postMessage({ type: 'init', init } satisfies ToWorker);
      worker.postMessage({ type: 'finish' } satisfies ToWorker);
      const still = new Promise<string>((done) => setTimeout(() => done('still running'), 20_000).unref());
      expect(await Promise.race([exited, still])).toBe('exit 0');
      expect(heard).toEqual(['finished']);
    } finally {
      await worker.terminate();
    }
  }, 30_000);
});
