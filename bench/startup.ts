/**
 * The start-up scenario (issue 18 item 5): `credwarden --version`, `--help` and `rules test` on
 * one rule, each started through the binary (bin/credwarden.js, dist/) after one warm-up run, so
 * the file cache is warm as for a user's second command; `node -e 0` beside them is Node's own
 * start-up on the same machine. Reports the median wall time and the median CPU time of the
 * process itself (user + system, written at exit by bench/cpu-at-exit.mjs): wall time depends on
 * how loaded the machine is, CPU time far less, so the load average before and after is part of
 * the figures. The targets are for an idle machine.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/collectors/files/package-root.js';

/** One command's figures. */
export interface StartupCommand {
  name: string;
  /** Median wall time (ms) of the runs, spawn to exit. */
  medianWallMs: number;
  /** Median CPU time (ms, user + system) of the process itself. */
  medianCpuMs: number;
  wallMs: number[];
  cpuMs: number[];
  /** Wall-time target on an idle machine (issue 18), if the command has one. */
  targetWallMs: number | null;
}

/** reports/bench/latest.json `startup`. */
export interface StartupSection {
  /** Runs per command (after one warm-up run). */
  runs: number;
  /** Load averages (1, 5, 15 minutes) before the first run and after the last, as `uptime` prints them. */
  loadAverageBefore: number[];
  loadAverageAfter: number[];
  commands: StartupCommand[];
}

/** The wall-time targets of issue 18 item 5, on an idle machine (median of 5). */
export const STARTUP_TARGETS_MS = { version: 150, help: 150, rulesTest: 500 } as const;

/** The rule `rules test` runs on, with its case table, copied as a user's own rules folder. */
const RULE = 'root-mfa-disabled';

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const loads = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100);

/** Runs the start-up commands `runs` times each; the binary must be built (`npm run build`). */
export function startupScenario(runs: number, log: (line: string) => void = () => undefined): StartupSection {
  const root = packageRoot();
  const bin = join(root, 'bin/credwarden.js');
  const scratch = mkdtempSync(join(tmpdir(), 'credwarden-startup-'));
  try {
    const ruleDir = join(scratch, 'rules');
    mkdirSync(join(ruleDir, 'tests'), { recursive: true });
    cpSync(join(root, `rules/${RULE}.yaml`), join(ruleDir, `${RULE}.yaml`));
    cpSync(join(root, `rules/tests/${RULE}.cases.yaml`), join(ruleDir, `tests/${RULE}.cases.yaml`));
    const cpuFile = join(scratch, 'cpu-ms');
    const scenarios: { name: string; args: string[]; targetWallMs: number | null }[] = [
      { name: 'node -e 0', args: ['-e', '0'], targetWallMs: null },
      { name: 'credwarden --version', args: [bin, '--version'], targetWallMs: STARTUP_TARGETS_MS.version },
      { name: 'credwarden --help', args: [bin, '--help'], targetWallMs: STARTUP_TARGETS_MS.help },
      { name: 'credwarden rules test DIR (one rule)', args: [bin, 'rules', 'test', ruleDir], targetWallMs: STARTUP_TARGETS_MS.rulesTest },
    ];
    const measure = (args: string[]): { wall: number; cpu: number } => {
      const start = process.hrtime.bigint();
      const run = spawnSync(process.execPath, ['--import', join(root, 'bench/cpu-at-exit.mjs'), ...args], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, CREDWARDEN_CPU_FILE: cpuFile },
      });
      const wall = Number(process.hrtime.bigint() - start) / 1e6;
      if (run.status !== 0) throw new Error(`start-up: ${args.join(' ')} exited ${String(run.status)}: ${run.stderr}`);
      return { wall, cpu: Number(readFileSync(cpuFile, 'utf8')) };
    };
    const loadAverageBefore = loads();
    const commands = scenarios.map(({ name, args, targetWallMs }): StartupCommand => {
      measure(args); // warm-up: file cache
      const measured = Array.from({ length: runs }, () => measure(args));
      const wallMs = measured.map((m) => Math.round(m.wall));
      const cpuMs = measured.map((m) => m.cpu);
      log(`start-up: ${name}: median wall ${median(wallMs)} ms, CPU ${median(cpuMs)} ms`);
      return { name, medianWallMs: median(wallMs), medianCpuMs: median(cpuMs), wallMs, cpuMs, targetWallMs };
    });
    return { runs, loadAverageBefore, loadAverageAfter: loads(), commands };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The rows of latest.md's table: figure beside target, with the load it was measured under. */
export function startupRows(section: StartupSection): string[][] {
  const load = `load ${section.loadAverageBefore.join(', ')}`;
  const node = section.commands.find((c) => c.targetWallMs === null);
  return section.commands
    .filter((c) => c.targetWallMs !== null)
    .map((c) => [
      'startup',
      `${c.name}: at most ${c.targetWallMs} ms wall (idle machine)`,
      `${c.medianWallMs} ms wall, ${c.medianCpuMs} ms CPU (node -e 0: ${node?.medianWallMs ?? '?'} ms; ${load})`,
      c.medianWallMs <= (c.targetWallMs ?? 0) ? 'met' : '**not met**',
    ]);
}
