// `npm run bench:startup`: start-up of the `credwarden` binary (issue 18 item 5). Runs
// `--version`, `--help` and `rules test` on one rule five times each (after one warm-up run, so
// the file cache is warm as for a user's second command) and reports the median wall time, next
// to `node -e 0` (Node's own start-up) and the machine's load average, which these figures
// depend on. Writes reports/bench/startup.json; the figures go in docs/performance.md, "Start-up".
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin/credwarden.js');
const RUNS = 5;

// One rule and its case table, as a user's rules folder.
const ruleDir = mkdtempSync(join(tmpdir(), 'credwarden-startup-'));
mkdirSync(join(ruleDir, 'tests'));
cpSync(join(root, 'rules/root-mfa-disabled.yaml'), join(ruleDir, 'root-mfa-disabled.yaml'));
cpSync(join(root, 'rules/tests/root-mfa-disabled.cases.yaml'), join(ruleDir, 'tests/root-mfa-disabled.cases.yaml'));

const scenarios = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: '--version', args: [bin, '--version'] },
  { name: '--help', args: [bin, '--help'] },
  { name: 'rules test (one rule)', args: [bin, 'rules', 'test', ruleDir] },
];

const cpuFile = join(ruleDir, 'cpu-ms');

/** One run: wall time, and the process's own CPU time (see cpu-at-exit.mjs). */
function measure(args) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--import', join(root, 'bench/cpu-at-exit.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CREDWARDEN_CPU_FILE: cpuFile },
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return { wall, cpu: Number(readFileSync(cpuFile, 'utf8')) };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const loadBefore = loadavg();
const results = scenarios.map(({ name, args }) => {
  measure(args); // warm-up
  const runs = Array.from({ length: RUNS }, () => measure(args));
  return {
    name,
    medianWallMs: Math.round(median(runs.map((r) => r.wall))),
    medianCpuMs: median(runs.map((r) => r.cpu)),
    wallMs: runs.map((r) => Math.round(r.wall)),
  };
});
const report = {
  node: process.version,
  cores: cpus().length,
  loadAverage1mBefore: Number(loadBefore[0].toFixed(2)),
  loadAverage1mAfter: Number(loadavg()[0].toFixed(2)),
  runs: RUNS,
  results,
};
mkdirSync(join(root, 'reports/bench'), { recursive: true });
writeFileSync(join(root, 'reports/bench/startup.json'), `${JSON.stringify(report, null, 2)}\n`);
for (const r of results)
  console.log(
    `${r.name.padEnd(24)} median wall ${String(r.medianWallMs).padStart(5)} ms, CPU ${String(r.medianCpuMs).padStart(5)} ms  (wall ${r.wallMs.join(', ')})`,
  );
console.log(`load average (1 min): ${report.loadAverage1mBefore} before, ${report.loadAverage1mAfter} after; ${report.cores} cores`);
